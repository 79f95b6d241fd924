/**
 * Runs the real helper (`tsx helper/src/cli/main.ts serve`) as a child process on a free
 * loopback port with its own data directory, exactly as a user would, and waits until
 * GET /api/health answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MASK_KEY_FILE } from '@shipshape/helper/secrets/mask-key.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * `node --import tsx`, not the `tsx` binary: the binary runs the program in a second process
 * and cannot pass on SIGKILL, which would leave the real helper running as an orphan.
 */
const nodeArgs = ['--import', 'tsx'];

export type HelperProcess = {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Output so far (stdout and stderr), for assertions and failure messages. */
  output(): string;
  /** Authenticated fetch against the helper: `api('/api/images')`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM, wait for exit; removes the data dir unless the caller passed one. */
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * `user`: run the helper as this uid/gid (its data dir must be theirs). `compiled`: run this
 * compiled CLI (a dist/shipshape.js, as `npm start` does: plain node, --max-semi-space-size=4, MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_=1048576) instead of the sources.
 */
export type StartOptions = { dataDir?: string; env?: Record<string, string>; port?: number; startTimeoutMs?: number; user?: { uid: number; gid: number }; compiled?: string };

/**
 * What every test helper starts with unless `env` says otherwise: no automatic data updates
 * (the public feed is unreachable here; the tests of that feature turn them on against a local
 * mirror), and the repository's test fixtures as an import folder (data-update sources).
 */
export const testHelperEnv = (): Record<string, string> => ({
  SHIPSHAPE_DATA_REFRESH: 'off',
  ...importDirsEnv(),
});

/** The fixtures and these folders (a test's own work folder) as import folders: what the API may read. */
export const importDirsEnv = (...dirs: string[]): { SHIPSHAPE_IMPORT_DIRS: string } => ({
  SHIPSHAPE_IMPORT_DIRS: [join(repoRoot, 'test', 'fixtures'), ...dirs].join(':'),
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The node flags and environment scripts/start.sh runs the compiled helper with (`npm start`). */
export const HELPER_NODE_FLAGS = ['--max-semi-space-size=4'];
export const HELPER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' };

export async function startHelper(options: StartOptions = {}): Promise<HelperProcess> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'shipshape-helper-')));
  const port = options.port ?? (await freePort());
  // The compiled helper runs with the node flags scripts/start.sh gives it.
  const program = options.compiled ? [...HELPER_NODE_FLAGS, options.compiled] : [...nodeArgs, join(repoRoot, 'helper/src/cli/main.ts')];
  const child = spawn(process.execPath, [...program, 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: repoRoot,
    // The compiled helper gets the malloc setting scripts/start.sh gives it.
    env: { ...(options.compiled ? HELPER_ENV : {}), ...process.env, ...testHelperEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`helper exited before answering (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`);
    }
    const healthy = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`helper did not answer /api/health within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = (await readFile(join(dataDir, 'token'), 'utf8')).trim();

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    port,
    token,
    dataDir,
    child,
    output: () => output,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } }),
    kill,
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await kill('SIGTERM');
      clearTimeout(timer);
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An API call that must succeed: the parsed JSON body, or an error with the status and body. */
export async function apiJson<T>(helper: HelperProcess, path: string, init?: RequestInit): Promise<T> {
  const res = await helper.api(path, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const sharedMaskKey = randomBytes(32);

/**
 * A data dir holding the same secret-mask key as every other one this test process makes: two
 * helpers compared finding by finding must fingerprint a secret alike (the key is per data dir).
 */
export function dataDirWithMaskKey(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, MASK_KEY_FILE), sharedMaskKey, { mode: 0o600 });
  return dataDir;
}
