/** `shipshape pair CODE`: approves (or `--reject`s) the extension's pairing request. */
import { parseArgs } from 'node:util';
import { configOptions, ConfigError, parseFlags, resolveConfig } from '../config.ts';
import { callHelper } from './helper-api.ts';

export const summary = "approve the extension's pairing code (--reject to refuse it)";

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
  const { ok, status, body } = await callHelper<{ origin?: string; state?: string }>(config, 'POST', '/api/pair/approve', { code: positionals[0], reject: values.reject ?? false });
  if (!ok) {
    process.stderr.write(`shipshape pair: ${body.error?.message ?? `HTTP ${status}`}\n`);
    return 1;
  }
  process.stdout.write(`${body.state === 'approved' ? 'Paired' : 'Rejected'}: ${body.origin}\n`);
  return 0;
}
