/**
 * `shipshape db`: the local vulnerability database.
 *   db import PATH             OSV zip / JSON / JSONL, Alpine secdb JSON, Debian DSA/DLA list, NVD feed,
 *                              KEV catalog, EPSS scores, or a folder of them
 *   db update [--mirror URL] [--ecosystems a,b] [--nvd-mirror URL] [--kev-url URL] [--epss-url URL] [--cve-data LIST]
 *                              fetch OSV's per-ecosystem archives and the per-CVE feeds (conditional)
 *   db status [--json]         what is in it, from where, when
 */
import { parseArgs } from 'node:util';
import { ageInWords, isStale, STALE_DATA_DAYS } from '@shipshape/shared';
import { configOptions, parseFlags, resolveConfig } from '../config.ts';
// Only what `db status` needs is imported up front; import and update load their code when run.
import { DEFAULT_EPSS_URL, DEFAULT_KEV_URL, DEFAULT_NVD_FEED_URL, cveDataOptionsFromEnv, type CveDataLocations } from '../vulndb/cve-data/options.ts';
import { DEFAULT_ECOSYSTEMS, DEFAULT_OSV_BASE_URL } from '../vulndb/osv-defaults.ts';
import { vulnDbPath } from '../vulndb/schema.ts';
import { vulnDbStatus, type VulnDbStatus } from '../vulndb/store.ts';
import type { UpdateProgress } from '../vulndb/update.ts';

const usage = `Usage:
  shipshape db import PATH [--data-dir DIR]
  shipshape db update [--mirror URL] [--ecosystems npm,PyPI,...] [--nvd-mirror URL] [--kev-url URL]
                           [--epss-url URL] [--cve-data nvd,kev,epss|none] [--data-dir DIR]
  shipshape db status [--json] [--data-dir DIR]

import   PATH is an OSV all.zip, an OSV .json/.jsonl(.gz) file, an Alpine secdb JSON file,
         a Debian security tracker DSA/DLA list, an NVD CVE JSON 2.0 feed (nvdcve-2.0-*.json.gz),
         a CISA KEV catalog (known_exploited_vulnerabilities.json), a FIRST EPSS file
         (epss_scores-*.csv.gz), or a folder of these (air-gapped machines); the last three are
         recognised by their content. Importing the same file again replaces what it brought before;
         a KEV catalog or EPSS file replaces the previous one.
update   downloads <base>/<Ecosystem>/all.zip for each ecosystem (default base
         ${DEFAULT_OSV_BASE_URL}, or --mirror URL, or SHIPSHAPE_OSV_MIRROR), sending the
         stored ETag/Last-Modified so unchanged archives are not fetched again. Ecosystems:
         --ecosystems, else those fetched before, else ${DEFAULT_ECOSYSTEMS.join(', ')}.
         Then the per-CVE data, each only when changed: NVD's CVE feeds (every year once, then the
         'modified' feed; --nvd-mirror URL or SHIPSHAPE_NVD_MIRROR, default ${DEFAULT_NVD_FEED_URL}),
         CISA's KEV catalog (--kev-url or SHIPSHAPE_KEV_URL, default ${DEFAULT_KEV_URL})
         and FIRST's EPSS scores (--epss-url or SHIPSHAPE_EPSS_URL, default ${DEFAULT_EPSS_URL}).
         --cve-data (or SHIPSHAPE_CVE_DATA) picks which: nvd,kev,epss (default) or none.
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
        'nvd-mirror': { type: 'string' },
        'kev-url': { type: 'string' },
        'epss-url': { type: 'string' },
        'cve-data': { type: 'string' },
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
      return runUpdate(
        dataDir,
        values.mirror ?? process.env.SHIPSHAPE_OSV_MIRROR,
        values.ecosystems,
        cveDataOptionsFromEnv({
          ...process.env,
          ...(values['nvd-mirror'] ? { SHIPSHAPE_NVD_MIRROR: values['nvd-mirror'] } : {}),
          ...(values['kev-url'] ? { SHIPSHAPE_KEV_URL: values['kev-url'] } : {}),
          ...(values['epss-url'] ? { SHIPSHAPE_EPSS_URL: values['epss-url'] } : {}),
          ...(values['cve-data'] !== undefined ? { SHIPSHAPE_CVE_DATA: values['cve-data'] } : {}),
        }),
      );
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
  const rate = result.seconds > 0 ? Math.round((result.records + result.cveRows) / result.seconds) : result.records + result.cveRows;
  process.stdout.write(
    `imported ${result.records} records${result.cveRows ? ` and ${result.cveRows} per-CVE rows (NVD/KEV/EPSS)` : ''} (${result.skipped} skipped as invalid) in ${result.seconds.toFixed(1)} s, ${rate} records/s into ${vulnDbPath(dataDir)}\n`,
  );
  return 0;
}

async function runUpdate(dataDir: string, mirror: string | undefined, ecosystemList: string | undefined, cveOptions: CveDataLocations): Promise<number> {
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
  const { updateCveData } = await import('../vulndb/cve-data/update.ts');
  const cve = await updateCveData({
    dataDir,
    ...cveOptions,
    onProgress: (e) => {
      if (e.phase === 'import') process.stderr.write(`${e.feed}: importing\n`);
    },
  });
  for (const o of cve.feeds) {
    if (o.outcome === 'updated') process.stdout.write(`${o.feed}: updated, ${o.result?.records ?? 0} CVEs${o.result?.skipped ? `, ${o.result.skipped} skipped` : ''}\n`);
    else if (o.outcome === 'unchanged') process.stdout.write(`${o.feed}: unchanged (not fetched)\n`);
    else process.stdout.write(`${o.feed}: FAILED, previous data kept: ${o.error}\n`);
  }
  const failed = result.ecosystems.filter((o) => o.outcome === 'failed').length;
  const cveFailed = cve.feeds.filter((o) => o.outcome === 'failed').length;
  if (failed > 0) process.stderr.write(`shipshape db update: ${failed} of ${result.ecosystems.length} ecosystems failed; the database still serves their previous data\n`);
  if (cveFailed > 0) process.stderr.write(`shipshape db update: ${cveFailed} of ${cve.feeds.length} CVE data feeds failed; their previous data is kept\n`);
  return failed + cveFailed > 0 ? 1 : 0;
}

function previouslyFetched(status: VulnDbStatus | null): string[] | null {
  const fetched = (status?.sources ?? []).filter((s) => s.source.startsWith('osv:')).map((s) => s.source.slice(4));
  return fetched.length > 0 ? fetched : null;
}

async function runStatus(dataDir: string, json: boolean): Promise<number> {
  const status = vulnDbStatus(dataDir);
  if (!status) {
    if (json) process.stdout.write(`${JSON.stringify({ path: vulnDbPath(dataDir), exists: false })}\n`);
    else process.stdout.write(`no vulnerability database at ${vulnDbPath(dataDir)}: run 'shipshape db update' or 'shipshape db import PATH'\n`);
    return json ? 0 : 1;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ exists: true, ...status }, null, 2)}\n`);
    return 0;
  }
  const stale = status.sources.filter((s) => isStale(s.fetchedAt));
  const lines = [
    `database   ${status.path} (${(status.sizeBytes / 1e6).toFixed(1)} MB, schema ${status.schemaVersion})`,
    `updated    ${status.updatedAt ? `${ageInWords(status.updatedAt)} (${status.updatedAt})` : 'never'}`,
    `records    ${status.records}`,
    `NVD        ${status.cveData.nvd.cves} CVEs with a CVSS score${status.cveData.nvd.updatedAt ? `, updated ${status.cveData.nvd.updatedAt}` : ''}`,
    `KEV        ${status.cveData.kev.entries} known-exploited CVEs${status.cveData.kev.catalogVersion ? `, catalog ${status.cveData.kev.catalogVersion}` : ''}`,
    `EPSS       ${status.cveData.epss.scores} scores${status.cveData.epss.scoreDate ? ` of ${status.cveData.epss.scoreDate}` : ''}`,
    ...Object.entries(status.ecosystems)
      .sort((a, b) => b[1] - a[1])
      .map(([e, n]) => `  ${e.padEnd(14)} ${n}`),
    'sources',
    ...status.sources.map(
      (s) =>
        `  ${s.source}  ${s.records} records${s.skipped ? `, ${s.skipped} skipped` : ''}, updated ${ageInWords(s.fetchedAt)} (${s.fetchedAt})${s.etag ? `, etag ${s.etag}` : ''}${isStale(s.fetchedAt) ? '  STALE' : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (stale.length > 0) {
    process.stderr.write(
      `shipshape db status: ${stale.map((s) => s.source).join(', ')} ${stale.length === 1 ? 'is' : 'are'} more than ${STALE_DATA_DAYS} days old: run 'shipshape db update' (or import newer data)\n`,
    );
  }
  return 0;
}
