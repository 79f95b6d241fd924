/** Calls to the running helper from the CLI: the token from the data dir, loopback only, errors that say what to do. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN_FILE } from '../auth/token.ts';
import { ConfigError, LISTEN_HOST, type Config } from '../config.ts';

export async function callHelper(config: Config, path: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; body: unknown }> {
  const token = (await readFile(join(config.dataDir, TOKEN_FILE), 'utf8').catch(() => '')).trim();
  if (!token) throw new ConfigError(`no token in ${config.dataDir}: is the helper running with this data dir?`);
  const response = await fetch(`http://${LISTEN_HOST}:${config.port}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  }).catch(() => null);
  if (!response) throw new ConfigError(`the helper does not answer on ${LISTEN_HOST}:${config.port}; start it with 'shipshape serve'`);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  return { status: response.status, body };
}

export function errorMessage(answer: { status: number; body: unknown }): string {
  const error = (answer.body as { error?: { message?: string } } | null)?.error;
  return error?.message ?? `HTTP ${answer.status}`;
}
