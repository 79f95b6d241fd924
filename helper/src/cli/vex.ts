/**
 * `shipshape vex export [--output FILE] [--author NAME]` / `shipshape vex import FILE`: the
 * running helper's ignores as an OpenVEX document, and back (ignores set this way are the CLI's).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { VexImportResult } from '@shipshape/shared';
import { configOptions, ConfigError, parseFlags, resolveConfig } from '../config.ts';
import { writeFileAtomic } from '../state/atomic-file.ts';
import { callHelper, errorMessage } from './helper-client.ts';

const usage = `Usage:
  shipshape vex export [--output FILE] [--author NAME] [--port N] [--data-dir DIR]
  shipshape vex import FILE [--port N] [--data-dir DIR]

export  the ignores in force as one OpenVEX v0.2.0 document (stdout, or FILE), for the
        repository: 'shipshape scan --vex FILE' honours it in CI, 'vex import' on another machine.
import  an OpenVEX document: not_affected, fixed and Shipshape's own 'accepted' statements
        become ignores (products: pkg:oci by image digest, pkg:docker by tag, package purls,
        file:///paths; none = every image). Says what it skipped and why.
Both talk to the running helper (its token is read from the data dir).
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...configOptions, output: { type: 'string', short: 'o' }, author: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }),
  );
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    (values.help ? process.stdout : process.stderr).write(usage);
    return values.help ? 0 : 2;
  }
  const config = resolveConfig(values);
  if (sub === 'export') {
    if (rest.length > 0) throw new ConfigError(`vex export takes no file argument (use --output FILE)\n${usage}`);
    const answer = await callHelper(config, `/api/vex${values.author ? `?author=${encodeURIComponent(values.author)}` : ''}`);
    if (answer.status !== 200) {
      process.stderr.write(`shipshape vex export: ${errorMessage(answer)}\n`);
      return 1;
    }
    const text = `${JSON.stringify(answer.body, null, 2)}\n`;
    if (values.output) {
      await writeFileAtomic(values.output, text);
      process.stderr.write(`wrote ${(answer.body as { statements: unknown[] }).statements.length} statement(s) to ${values.output}\n`);
    } else process.stdout.write(text);
    return 0;
  }
  if (sub === 'import') {
    if (rest.length !== 1) throw new ConfigError(`vex import takes one FILE\n${usage}`);
    const text = await readFile(rest[0]!, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(`cannot read ${rest[0]}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const answer = await callHelper(config, '/api/vex', { method: 'POST', body: text });
    if (answer.status !== 200) {
      process.stderr.write(`shipshape vex import: ${errorMessage(answer)}\n`);
      return 1;
    }
    const result = answer.body as VexImportResult;
    process.stdout.write(`imported ${result.imported} ignore(s)\n`);
    for (const s of result.skipped) process.stdout.write(`  skipped statement ${s.statement} (${s.vulnerability}): ${s.reason}\n`);
    return 0;
  }
  process.stderr.write(`shipshape vex: unknown subcommand '${sub}'\n\n${usage}`);
  return 2;
}
