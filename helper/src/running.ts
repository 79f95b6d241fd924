/**
 * Finding a helper that already runs, so that a second `npm start` / `shipshape serve` says so
 * instead of failing on a taken port, and never opens a data dir that a running helper owns.
 *
 * A helper writes `<data dir>/helper.json` ({ pid, port, version, startedAt }) once it listens
 * and removes it when it stops. A helper is "running" when its health route answers; the file
 * only names it (a file left by a killed helper names a pid that is gone or a port that is silent).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LISTEN_HOST } from './config.ts';
import { processAlive } from './process-alive.ts';

export const RUN_FILE = 'helper.json';

export type RunFile = { pid: number; port: number; version: string; startedAt: string };

export type FoundHelper = {
  port: number;
  /** null when the helper on the port uses another data dir (its pid is in that dir's helper.json). */
  pid: number | null;
  version: string;
  /** The data dir whose helper.json named it, when it did. */
  dataDir: string | null;
};

/** GET /api/health on the port: the helper's version if a Shipshape helper answers there, else null. */
export async function probeHelper(port: number, timeoutMs = 1500): Promise<{ version: string } | null> {
  try {
    const response = await fetch(`http://${LISTEN_HOST}:${port}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { status?: unknown; version?: unknown; docker?: unknown };
    const looksLikeShipshape = response.ok && body.status === 'ok' && typeof body.version === 'string' && typeof body.docker === 'object';
    return looksLikeShipshape ? { version: body.version as string } : null;
  } catch {
    return null;
  }
}

export async function readRunFile(dataDir: string): Promise<RunFile | null> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, RUN_FILE), 'utf8')) as Partial<RunFile>;
    return Number.isInteger(parsed.pid) && Number.isInteger(parsed.port) ? (parsed as RunFile) : null;
  } catch {
    return null;
  }
}

/**
 * The helper that owns this data dir (on whatever port), else the helper answering on this port
 * (perhaps with another data dir), else null.
 */
export async function findRunningHelper(port: number, dataDir: string): Promise<FoundHelper | null> {
  const runFile = await readRunFile(dataDir);
  if (runFile && processAlive(runFile.pid)) {
    const found = await probeHelper(runFile.port);
    if (found) return { port: runFile.port, pid: runFile.pid, version: found.version, dataDir };
  }
  const found = await probeHelper(port);
  return found ? { port, pid: null, version: found.version, dataDir: null } : null;
}

/** The one line `serve` prints when a helper is already there. */
export function alreadyRunningMessage(found: FoundHelper): string {
  const where = `${LISTEN_HOST}:${found.port}`;
  return found.pid !== null ? `Shipshape is already running on ${where}, pid ${found.pid}` : `Shipshape is already running on ${where} (with another data dir; its pid is in that dir's ${RUN_FILE})`;
}

/** Binds the port for a moment: null when it is free, else the error code (EADDRINUSE, EACCES…). */
export async function portProblem(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen(port, LISTEN_HOST, () => server.close(() => resolve(null)));
  });
}

/** The first free port after `port` (within 50), for the `--port` hint. */
export async function freePortAfter(port: number): Promise<number | null> {
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535); candidate++) {
    if ((await portProblem(candidate)) === null) return candidate;
  }
  return null;
}

export async function writeRunFile(dataDir: string, info: RunFile): Promise<void> {
  const path = join(dataDir, RUN_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(info)}\n`, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

/** Removes the run file if it still names this process (a newer helper may have replaced it). */
export async function removeRunFile(dataDir: string, pid: number): Promise<void> {
  if ((await readRunFile(dataDir))?.pid === pid) await rm(join(dataDir, RUN_FILE), { force: true });
}
