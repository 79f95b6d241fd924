/**
 * `shipshape db`: the local vulnerability database.
 *   db import PATH             OSV zip / JSON / JSONL, Alpine secdb JSON, Debian DSA/DLA list, or a folder
 *   db update [--mirror URL] [--ecosystems a,b]   fetch OSV's per-ecosystem archives (conditional)
 *   db status [--json]         what is in it, from where, when
 */
import { parseArgs } from 'node:util';
import { configOptions, parseFlags, resolveConfig } from '../config.ts';
// Only what `db status` needs is imported up front; import and update load their code when run.
import { DEFAULT_ECOSYSTEMS, DEFAULT_OSV_BASE_URL } from '../vulndb/osv-defaults.ts';
import { vulnDbPath } from '../vulndb/schema.ts';
import { vulnDbStatus, type VulnDbStatus } from '../vulndb/store.ts';
import type { UpdateProgress } from '../vulndb/update.ts';

const usage = `Usage:
  pnpm shipshape db import PATH [--data-dir DIR]
  pnpm shipshape db update [--mirror URL] [--ecosystems npm,PyPI,...] [--data-dir DIR]
  pnpm shipshape db status [--json] [--data-dir DIR]

import   PATH is an OSV all.zip, an OSV .json/.jsonl(.gz) file, an Alpine secdb JSON file,
         a Debian security tracker DSA/DLA list, or a folder of these (air-gapped machines).
         Importing the same file again replaces what it brought before.
update   downloads <base>/<Ecosystem>/all.zip for each ecosystem (default base
         ${DEFAULT_OSV_BASE_URL}, or --mirror URL, or SHIPSHAPE_OSV_MIRROR), sending the
         stored ETag/Last-Modified so unchanged archives are not fetched again. Ecosystems:
         --ecosystems, else those fetched before, else ${DEFAULT_ECOSYSTEMS.join(', ')}.
status   records per ecosystem and per source, last update, database file.

The previous database keeps serving until a new one is complete; a failed download or a
corrupt archive leaves that ecosystem's previous records in place.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...configOptions,
        mirror: { type: 'string' },
        ecosystems: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    (sub || values.help ? process.stdout : process.stderr).write(usage);
    return values.help ? 0 : 2;
  }
  const { dataDir } = resolveConfig(values);
  switch (sub) {
    case 'import':
      return runImport(dataDir, rest);
    case 'update':
      return runUpdate(dataDir, values.mirror ?? process.env.SHIPSHAPE_OSV_MIRROR, values.ecosystems);
    case 'status':
      return runStatus(dataDir, values.json ?? false);
    default:
      process.stderr.write(`shipshape db: unknown subcommand '${sub}'\n\n${usage}`);
      return 2;
  }
}

async function runImport(dataDir: string, paths: string[]): Promise<number> {
  if (paths.length !== 1) {
    process.stderr.write('shipshape db import: give exactly one PATH (a file or a folder)\n');
    return 2;
  }
  const { importPath } = await import('../vulndb/import-path.ts');
  const result = await importPath(dataDir, paths[0] as string, {
    onProgress: (p) => process.stderr.write(`[${p.done}/${p.total}] ${p.source}\n`),
  });
  for (const s of result.sources) {
    process.stdout.write(`${s.source}: ${s.records} records${s.skipped ? `, ${s.skipped} skipped` : ''}\n`);
    for (const problem of s.problems.slice(0, 5)) process.stdout.write(`  skipped ${problem}\n`);
  }
  if (result.ignored.length > 0) process.stdout.write(`ignored (not advisory data): ${result.ignored.join(', ')}\n`);
  const rate = result.seconds > 0 ? Math.round(result.records / result.seconds) : result.records;
  process.stdout.write(
    `imported ${result.records} records (${result.skipped} skipped as invalid) in ${result.seconds.toFixed(1)} s, ${rate} records/s into ${vulnDbPath(dataDir)}\n`,
  );
  return 0;
}

async function runUpdate(dataDir: string, mirror: string | undefined, ecosystemList: string | undefined): Promise<number> {
  const ecosystems = ecosystemList
    ? ecosystemList.split(',').map((s) => s.trim()).filter(Boolean)
    : previouslyFetched(vulnDbStatus(dataDir)) ?? DEFAULT_ECOSYSTEMS;
  let lastLine = 0;
  const onProgress = (e: UpdateProgress) => {
    if (e.phase === 'download') {
      const now = Date.now();
      if (now - lastLine < 1000) return;
      lastLine = now;
      const mb = (n: number) => (n / 1e6).toFixed(1);
      process.stderr.write(`${e.ecosystem}: ${mb(e.received)}${e.total ? ` / ${mb(e.total)}` : ''} MB\n`);
    } else if (e.phase === 'import') process.stderr.write(`${e.ecosystem}: importing\n`);
  };
  const { updateVulnDb } = await import('../vulndb/update.ts');
  const result = await updateVulnDb({ dataDir, baseUrl: mirror, ecosystems, onProgress });
  for (const o of result.ecosystems) {
    if (o.outcome === 'updated') process.stdout.write(`${o.ecosystem}: updated, ${o.result?.records ?? 0} records${o.result?.skipped ? `, ${o.result.skipped} skipped` : ''}\n`);
    else if (o.outcome === 'unchanged') process.stdout.write(`${o.ecosystem}: unchanged (not fetched)\n`);
    else process.stdout.write(`${o.ecosystem}: FAILED, previous data kept: ${o.error}\n`);
  }
  const failed = result.ecosystems.filter((o) => o.outcome === 'failed').length;
  if (failed > 0) process.stderr.write(`shipshape db update: ${failed} of ${result.ecosystems.length} ecosystems failed; the database still serves their previous data\n`);
  return failed > 0 ? 1 : 0;
}

function previouslyFetched(status: VulnDbStatus | null): string[] | null {
  const fetched = (status?.sources ?? []).filter((s) => s.source.startsWith('osv:')).map((s) => s.source.slice(4));
  return fetched.length > 0 ? fetched : null;
}

async function runStatus(dataDir: string, json: boolean): Promise<number> {
  const status = vulnDbStatus(dataDir);
  if (!status) {
    if (json) process.stdout.write(`${JSON.stringify({ path: vulnDbPath(dataDir), exists: false })}\n`);
    else process.stdout.write(`no vulnerability database at ${vulnDbPath(dataDir)}: run 'pnpm shipshape db update' or 'pnpm shipshape db import PATH'\n`);
    return json ? 0 : 1;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ exists: true, ...status }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `database   ${status.path} (${(status.sizeBytes / 1e6).toFixed(1)} MB, schema ${status.schemaVersion})`,
    `updated    ${status.updatedAt ?? 'never'}`,
    `records    ${status.records}`,
    ...Object.entries(status.ecosystems)
      .sort((a, b) => b[1] - a[1])
      .map(([e, n]) => `  ${e.padEnd(14)} ${n}`),
    'sources',
    ...status.sources.map(
      (s) => `  ${s.source}  ${s.records} records${s.skipped ? `, ${s.skipped} skipped` : ''}, fetched ${s.fetchedAt}${s.etag ? `, etag ${s.etag}` : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
