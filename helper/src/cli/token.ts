/** `shipshape token`: prints the API token of a data dir; `--rotate` replaces it. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateToken, rotateToken, TOKEN_FILE } from '../auth/token.ts';
import { configOptions, parseFlags, resolveConfig } from '../config.ts';

const usage = `Usage: shipshape token [--data-dir DIR] [--rotate]

Prints the API token the helper expects in 'Authorization: Bearer <token>'.
--rotate writes a new token; a running helper switches to it within a second, and every
client holding the old one (the paired extension too) must pair again.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({ args: argv, options: { ...configOptions, rotate: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const { dataDir } = resolveConfig(values);
  const token = values.rotate ? await rotateToken(dataDir) : await loadOrCreateToken(dataDir);
  process.stdout.write(`${token}\n`);
  if (values.rotate) process.stderr.write(`shipshape: new token written to ${join(dataDir, TOKEN_FILE)}; old sessions are ended\n`);
  return 0;
}
