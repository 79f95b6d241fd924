/**
 * The API token: 32 random bytes (base64url) in `<data dir>/token`, mode 0600, created at first
 * start. `shipshape token --rotate` replaces the file; the running helper notices (it checks the
 * file's identity on every request and once a second) and from then on accepts only the new
 * token, and announces `token.rotated` so open sessions (event streams) are closed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-file.ts';

export const TOKEN_FILE = 'token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
}

/** Reads the token of a data dir, creating it (0600) if there is none. */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  await ensureDataDir(dataDir);
  const path = join(dataDir, TOKEN_FILE);
  const existing = await readFile(path, 'utf8').catch(() => '');
  if (existing.trim()) {
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) chmodSync(path, 0o600); // a token readable by others is not a secret
    return existing.trim();
  }
  const token = newToken();
  await writeFileAtomic(path, `${token}\n`, 0o600);
  return token;
}

export async function rotateToken(dataDir: string): Promise<string> {
  await ensureDataDir(dataDir);
  const token = newToken();
  await writeFileAtomic(join(dataDir, TOKEN_FILE), `${token}\n`, 0o600);
  return token;
}

/** Constant-time comparison: both sides are hashed to equal length first. */
export function tokensEqual(candidate: string, expected: string): boolean {
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export class TokenStore {
  private token: string;
  private identity: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    initial: string,
    private readonly onRotated: () => void,
  ) {
    this.token = initial;
    this.identity = fileIdentity(path);
    this.timer = setInterval(() => this.refresh(), 1000);
    this.timer.unref();
  }

  static async open(dataDir: string, onRotated: () => void): Promise<TokenStore> {
    const token = await loadOrCreateToken(dataDir);
    return new TokenStore(join(dataDir, TOKEN_FILE), token, onRotated);
  }

  /** The token as it is now (pairing hands it to the approved extension). */
  current(): string {
    this.refresh();
    return this.token;
  }

  verify(candidate: string): boolean {
    this.refresh();
    return tokensEqual(candidate, this.token);
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the file when it was replaced (rotation writes a new inode). */
  private refresh(): void {
    const identity = fileIdentity(this.path);
    if (identity === this.identity) return;
    let next: string;
    try {
      next = readFileSync(this.path, 'utf8').trim();
    } catch {
      return; // missing for a moment: keep the current token
    }
    this.identity = identity;
    if (!next || next === this.token) return;
    this.token = next;
    this.onRotated();
  }
}

function fileIdentity(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
