/** Calls to the running helper from the CLI: the token from the data dir, the port from the config. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN_FILE } from '../auth/token.ts';
import { ConfigError, type Config } from '../config.ts';
import { LISTEN_HOST } from '../server.ts';

export type HelperAnswer<T> = { ok: boolean; status: number; body: T & { error?: { message: string; field?: string } } };

export async function callHelper<T>(config: Config, method: string, path: string, body?: unknown): Promise<HelperAnswer<T>> {
  const token = (await readFile(join(config.dataDir, TOKEN_FILE), 'utf8').catch(() => '')).trim();
  if (!token) throw new ConfigError(`no token in ${config.dataDir}: is the helper running with this data dir?`);
  const response = await fetch(`http://${LISTEN_HOST}:${config.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch(() => null);
  if (!response) throw new ConfigError(`the helper does not answer on ${LISTEN_HOST}:${config.port}; start it with 'pnpm shipshape serve'`);
  return { ok: response.ok, status: response.status, body: (await response.json().catch(() => ({}))) as HelperAnswer<T>['body'] };
}
