/**
 * Benchmark: the vulnerability database. Import rate (records/second) of the shared
 * advisories (the OSV JSONL files alone, then everything including the native Alpine and
 * Debian sources); time to match 5,000 packages against them, cold (fresh handle, nothing
 * parsed yet) and warm. Targets (issue 4): import ≥ 20,000 records/s, 5,000 packages < 200 ms.
 * Then the same data at the real feed's size, fetched by a real helper (vulndb-scale.ts, issue
 * 12); `BENCH_VULNDB=small` stops before it, `BENCH_VULNDB=scale` runs only it.
 */
import { mkdtemp, rm, mkdir, copyFile, readdir } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Package } from '@shipshape/shared';
import { matchPackages, type OsvRecord } from '@shipshape/analyzers';
import { importPath, openVulnDb, type VulnDb } from '@shipshape/helper/vulndb/index.ts';
import { benchVulndbScale } from './vulndb-scale.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/advisories');
const fmt = (n: number): string => Math.round(n).toLocaleString('en');

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * Best of `runs` (the first pays for JIT and module loading). Wall-clock and CPU-time rates
 * both: on a shared machine the wall clock mostly measures the other processes.
 */
async function importRate(source: string, runs: number): Promise<{ records: number; best: number; bestCpu: number }> {
  let best = 0;
  let bestCpu = 0;
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-vulndb-'));
    try {
      const cpu = process.cpuUsage();
      const result = await importPath(dataDir, source);
      records = result.records;
      best = Math.max(best, result.records / result.seconds);
      bestCpu = Math.max(bestCpu, result.records / cpuSeconds(cpu));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return { records, best, bestCpu };
}

/** 5,000 packages named in the OSV advisories (about half at an affected version), the rest unknown names. */
async function packagesFrom(count: number): Promise<Package[]> {
  const seen = new Set<string>();
  const layer = { diffId: 'sha256:bench', createdBy: null };
  const packages: Package[] = [];
  const files = (await readdir(FIXTURES)).filter((f) => f.startsWith('osv-') && f.endsWith('.jsonl.gz') && !f.includes('expectations'));
  for (const file of files) {
    for await (const line of createInterface({ input: createReadStream(path.join(FIXTURES, file)).pipe(createGunzip()) })) {
      if (!line.trim() || packages.length >= count * 0.8) continue;
      const record = JSON.parse(line) as OsvRecord;
      for (const entry of record.affected ?? []) {
        const pkg = entry.package;
        if (!pkg || seen.has(`${pkg.ecosystem}/${pkg.name}`)) continue;
        seen.add(`${pkg.ecosystem}/${pkg.name}`);
        const events = entry.ranges?.[0]?.events ?? [];
        const introduced = events.find((e) => e.introduced && e.introduced !== '0')?.introduced;
        const fixed = events.find((e) => e.fixed)?.fixed;
        const i = packages.length;
        const version = (i % 2 === 0 ? introduced ?? fixed : fixed ?? introduced) ?? entry.versions?.[0] ?? '1.0.0';
        packages.push({ ecosystem: pkg.ecosystem, name: pkg.name, version, sourceName: null, sourceVersion: null, purl: '', paths: [`/bench/${i}`], layer });
      }
    }
  }
  for (let i = packages.length; i < count; i++) {
    packages.push({ ecosystem: 'npm', name: `bench-unknown-${i}`, version: '1.0.0', sourceName: null, sourceVersion: null, purl: '', paths: [], layer });
  }
  return packages.slice(0, count);
}

function timeMatch(db: VulnDb, packages: Package[]): { ms: number; cpuMs: number; findings: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = matchPackages(packages, db.lookup);
  return { ms: performance.now() - start, cpuMs: cpuSeconds(cpu) * 1000, findings: result.vulnerabilities.length + result.malware.length };
}

export async function benchVulndb(): Promise<void> {
  if (process.env.BENCH_VULNDB === 'scale') return benchVulndbScale();
  console.log('\n## vulnerability database');
  console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs)`);
  const osvOnly = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-osv-'));
  try {
    await mkdir(osvOnly, { recursive: true });
    for (const file of (await readdir(FIXTURES)).filter((f) => f.startsWith('osv-') && f.endsWith('.jsonl.gz') && !f.includes('expectations'))) {
      await copyFile(path.join(FIXTURES, file), path.join(osvOnly, file));
    }
    const osv = await importRate(osvOnly, 3);
    console.log(`import, OSV JSONL (${fmt(osv.records)} records): ${fmt(osv.best)} records/s wall, ${fmt(osv.bestCpu)} per CPU-second (best of 3; target ≥ 20,000)`);
  } finally {
    await rm(osvOnly, { recursive: true, force: true });
  }
  const all = await importRate(FIXTURES, 3);
  console.log(`import, all shared advisories incl. Alpine secdb and DSA/DLA (${fmt(all.records)} records): ${fmt(all.best)} records/s wall, ${fmt(all.bestCpu)} per CPU-second`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-match-'));
  try {
    await importPath(dataDir, FIXTURES);
    const packages = await packagesFrom(5000);
    const cold = openVulnDb(dataDir) as VulnDb;
    const first = timeMatch(cold, packages);
    const warm: { ms: number; cpuMs: number }[] = [];
    for (let i = 0; i < 5; i++) warm.push(timeMatch(cold, packages));
    cold.close();
    const median = (key: 'ms' | 'cpuMs') => warm.map((w) => w[key]).sort((a, b) => a - b)[2]?.toFixed(0);
    console.log(
      `match ${fmt(packages.length)} packages (${fmt(first.findings)} findings): first ${first.ms.toFixed(0)} ms wall / ${first.cpuMs.toFixed(0)} ms CPU, ` +
        `then median ${median('ms')} ms wall / ${median('cpuMs')} ms CPU (target < 200 ms)`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  if (process.env.BENCH_VULNDB !== 'small') await benchVulndbScale();
}
