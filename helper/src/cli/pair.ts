/** `shipshape pair CODE`: approves (or `--reject`s) the extension's pairing request. */
import { parseArgs } from 'node:util';
import { configOptions, ConfigError, parseFlags, resolveConfig } from '../config.ts';
import { callHelper, errorMessage } from './helper-client.ts';

const usage = `Usage: shipshape pair CODE [--reject] [--port N] [--data-dir DIR]

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
  const answer = await callHelper(config, '/api/pair/approve', { method: 'POST', body: JSON.stringify({ code: positionals[0], reject: values.reject ?? false }) });
  if (answer.status >= 300) {
    process.stderr.write(`shipshape pair: ${errorMessage(answer)}\n`);
    return 1;
  }
  const body = answer.body as { origin?: string; state?: string };
  process.stdout.write(`${body.state === 'approved' ? 'Paired' : 'Rejected'}: ${body.origin}\n`);
  return 0;
}
