/**
 * The key of the secret masks' fingerprints (`ghp_***[3fa91c]`): 32 random bytes in
 * `<data dir>/mask-key`, mode 0600, made at first use. One key per data dir keeps a secret's
 * mask the same in every scan, report and API answer, so two secrets can be told apart; the
 * key never leaves the helper, so a mask cannot be checked against a guessed password.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MASK_KEY_FILE = 'mask-key';

/** The data dir's key; created when `create` and there is none, else null when there is none. */
export function loadMaskKey(dataDir: string, create = true): Buffer | null {
  const path = join(dataDir, MASK_KEY_FILE);
  try {
    const key = readFileSync(path);
    if (key.length === 32) {
      chmodSync(path, 0o600);
      return key;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!create) return null;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, key, { mode: 0o600 });
  renameSync(tmp, path);
  return key;
}
