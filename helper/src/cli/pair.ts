/** `shipshape pair CODE`: approves (or `--reject`s) the extension's pairing request. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_FILE } from '../auth/token.ts';
import { configOptions, ConfigError, LISTEN_HOST, parseFlags, resolveConfig } from '../config.ts';

const usage = `Usage: pnpm shipshape pair CODE [--reject] [--port N] [--data-dir DIR]

The extension shows a 6-character code; this tells the running helper to trust that
extension (and hands it the API token once). --reject refuses the request.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args: argv, options: { ...configOptions, reject: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length !== 1) throw new ConfigError(`expected one pairing code\n${usage}`);
  const config = resolveConfig(values);
  const token = (await readFile(join(config.dataDir, TOKEN_FILE), 'utf8').catch(() => '')).trim();
  if (!token) throw new ConfigError(`no token in ${config.dataDir}: is the helper running with this data dir?`);
  const url = `http://${LISTEN_HOST}:${config.port}/api/pair/approve`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: positionals[0], reject: values.reject ?? false }),
  }).catch(() => null);
  if (!response) throw new ConfigError(`the helper does not answer on ${LISTEN_HOST}:${config.port}; start it with 'pnpm shipshape serve'`);
  const body = (await response.json().catch(() => ({}))) as { origin?: string; state?: string; error?: { message: string } };
  if (!response.ok) {
    process.stderr.write(`shipshape pair: ${body.error?.message ?? `HTTP ${response.status}`}\n`);
    return 1;
  }
  process.stdout.write(`${body.state === 'approved' ? 'Paired' : 'Rejected'}: ${body.origin}\n`);
  return 0;
}
