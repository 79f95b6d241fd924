/**
 * A data update re-matches many stored inventories with one matcher, which works each distinct
 * package out once and hands its findings to every inventory naming it. The findings must be
 * exactly those a fresh scan's match (a new matcher per report) gives, whatever the order and
 * the layers the packages come from. Data: the committed advisory fixtures (OSV records of
 * several ecosystems, malicious packages, Debian's DSA list) and the per-CVE fixtures (NVD,
 * KEV, EPSS); inventories: the packages osv.dev was asked about in the recorded queries, and
 * the dpkg status of a real Debian 12 host.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { LayerRef, Package, ReportIndexEntry, ScanReport } from '@shipshape/shared';
import { ReportStore } from '../scan/report-store.ts';
import type { RematchOutcome } from '../scan/rematch/rematch-one.ts';
import { inThreadRematcher } from '../scan/rematch/rematcher.ts';
import { helperRematcher } from '../scan/rematch/helper-rematcher.ts';
import { ReportWriterThread } from '../scan/rematch/report-writer-thread.ts';
import { zeroRisks } from '../state/schema.ts';
import { coverageGap } from './coverage.ts';
import { importPath } from './import-path.ts';
import { asyncReportMatcher, matchReport, reportMatcher } from './match-report.ts';
import { openVulnDb, type VulnDb } from './store.ts';
import { advisoryFixtures, cveFixture, fixture } from './testing/fixtures.ts';

const DPKG_STATUS = join(advisoryFixtures, '..', '..', '..', 'analyzers', 'src', 'os-packages', 'dpkg', 'testdata', 'debian12-host', 'var', 'lib', 'dpkg', 'status');

let root: string;
let db: VulnDb;
let queried: Array<Omit<Package, 'layer'>>;
let debian: Array<Omit<Package, 'layer'>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shipshape-rematch-eq-'));
  const input = join(root, 'input');
  await mkdir(input);
  for (const f of (await readdir(advisoryFixtures)).filter((f) => f.startsWith('osv-') && f.endsWith('.jsonl.gz') && !f.includes('expectations'))) await copyFile(fixture(f), join(input, f));
  await copyFile(fixture('debian-security-tracker/DSA-list.txt.gz'), join(input, 'DSA-list.txt.gz'));
  for (const f of ['nvd/nvdcve-2.0-2022.json.gz', 'nvd/nvdcve-2.0-2023.json.gz', 'kev/known_exploited_vulnerabilities-2023.05.01.json', 'epss/epss_scores-2023-05-03.csv.gz']) {
    await copyFile(cveFixture(f), join(input, f.split('/')[1]!));
  }
  await importPath(root, input);
  db = openVulnDb(root)!;

  queried = [];
  for await (const line of createInterface({ input: createReadStream(fixture('osv-api-querybatch-expectations.jsonl.gz')).pipe(createGunzip()) })) {
    if (!line.trim()) continue;
    const { query } = JSON.parse(line) as { query: { package?: { ecosystem: string; name: string }; version?: string } };
    if (!query.package || !query.version) continue;
    const { ecosystem, name } = query.package;
    queried.push({ ecosystem, name, version: query.version, sourceName: null, sourceVersion: null, purl: `pkg:generic/${encodeURIComponent(name)}@${query.version}`, paths: [`/app/${name}`] });
  }
  // Some known-malicious packages, at a version their report lists.
  let malicious = 0;
  for await (const line of createInterface({ input: createReadStream(fixture('osv-malicious-packages.jsonl.gz')).pipe(createGunzip()) })) {
    const record = JSON.parse(line) as { affected?: Array<{ package?: { ecosystem: string; name: string }; versions?: string[] }> };
    const entry = record.affected?.find((a) => a.package && a.versions?.length);
    if (!entry) continue;
    const { ecosystem, name } = entry.package!;
    queried.push({ ecosystem, name, version: entry.versions![0]!, sourceName: null, sourceVersion: null, purl: `pkg:generic/${encodeURIComponent(name)}@${entry.versions![0]}`, paths: [`/app/${name}`] });
    if (++malicious === 12) break;
  }
  debian = [];
  for (const block of (await readFile(DPKG_STATUS, 'utf8')).split('\n\n')) {
    const name = /^Package: (\S+)/m.exec(block)?.[1];
    const version = /^Version: (\S+)/m.exec(block)?.[1];
    if (!name || !version) continue;
    const source = /^Source: (\S+)(?: \((\S+)\))?/m.exec(block);
    debian.push({ ecosystem: 'Debian:12', name, version, sourceName: source?.[1] ?? name, sourceVersion: source?.[2] ?? version, purl: `pkg:deb/debian/${name}@${version}?distro=debian-12`, paths: ['/var/lib/dpkg/status'] });
  }
}, 300_000);

afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});

/** Two Debian 11 packages the DSA list has findings for (the Debian 12 host is up to date). */
const bullseye: Array<Omit<Package, 'layer'>> = [
  ['libssl1.1', 'openssl', '1.1.1n-0+deb11u3'],
  ['liblog4j2-java', 'apache-log4j2', '2.15.0-1~deb11u1'],
].map(([name, source, version]) => ({ ecosystem: 'Debian:11', name: name!, version: version!, sourceName: source!, sourceVersion: version!, purl: `pkg:deb/debian/${name}@${version}`, paths: ['/var/lib/dpkg/status'] }));

const layerOf = (n: number): LayerRef => ({ diffId: `sha256:${String(n).padStart(64, '0')}`, createdBy: n % 2 ? `RUN step ${n}` : null });

/** Inventories that overlap as a host's images do: a shared base, each its own layer, some packages in several. */
function inventories(): Package[][] {
  const base = layerOf(0);
  return Array.from({ length: 6 }, (_, i) => {
    const own = layerOf(i + 1);
    const app = queried.filter((_, n) => n % 6 === i || n % 4 === 0).map((p) => ({ ...p, layer: i % 3 === 0 ? base : own }));
    const os = i === 5 ? [] : [...debian, ...bullseye].map((p) => ({ ...p, layer: base }));
    // The same package twice in one image (two paths): reported once, as a scan does.
    return [...os, ...app, ...app.slice(0, 3).map((p) => ({ ...p, paths: [`/other${p.paths[0]}`] }))];
  });
}

describe('re-match of many inventories with one matcher', () => {
  it('finds in each exactly what a fresh match of that inventory finds', { timeout: 300_000 }, async () => {
    const reports = inventories().map((packages) => ({ packages, notes: [] as string[] }));
    const fresh = reports.map((r) => matchReport(r, db));
    // Findings of every kind, so the comparison can fail on each.
    const all = fresh.flatMap((r) => r.vulnerabilities);
    expect(all.some((v) => v.package.ecosystem === 'Debian:11')).toBe(true);
    expect(all.some((v) => v.knownExploited)).toBe(true);
    expect(new Set(all.map((v) => v.package.ecosystem)).size).toBeGreaterThanOrEqual(4);
    expect(all.some((v) => v.severitySource === 'nvd')).toBe(true);
    expect(fresh.some((r) => r.malware.length > 0)).toBe(true);

    const rematch = asyncReportMatcher(db, { keepRecords: false });
    const shared = [];
    for (const r of reports) shared.push(await rematch(r));
    expect(shared).toEqual(fresh);
    // In reverse order, synchronously, and each report twice: still the same.
    const sync = reportMatcher(db);
    const reversed = [...reports].reverse().map((r) => [sync(r), sync(r)] as const);
    for (const [i, [first, again]] of reversed.entries()) {
      expect(first).toEqual(fresh[reports.length - 1 - i]);
      expect(again).toEqual(first);
    }
  });

  it('gives each finding the layer of its own package', { timeout: 300_000 }, async () => {
    const [a, b] = inventories();
    const rematch = reportMatcher(db);
    rematch({ packages: a! });
    const second = rematch({ packages: b! });
    const layers = new Map(b!.map((p) => [`${p.ecosystem}\0${p.name}\0${p.version}`, p.layer.diffId]));
    expect(second.vulnerabilities.length).toBeGreaterThan(0);
    for (const v of second.vulnerabilities) expect(v.layer.diffId).toBe(layers.get(`${v.package.ecosystem}\0${v.package.name}\0${v.package.version}`));
  });
});

describe("a data update's re-match in the helper", () => {
  /** The inventories three times over (18 images), stored as scans without vulnerability data leave them. */
  async function storedReports(dir: string, ids: string[]): Promise<ReportStore> {
    const store = await ReportStore.open(dir);
    const all = [...inventories(), ...inventories(), ...inventories()];
    for (const [i, id] of ids.entries()) {
      const report: ScanReport = { image: { id: `sha256:${i}`, tags: [], os: i % 6 === 5 ? null : { family: 'debian', version: '12' }, architecture: 'amd64', layers: [] }, packages: all[i]!, vulnerabilities: [], malware: [], notes: [] };
      await store.save(report, id);
    }
    return store;
  }
  const entry = (id: string, i: number, notChecked: ReportIndexEntry['notChecked'] = [{ category: 'vulnerabilities', reason: 'no vulnerability data: run a data update' }]): ReportIndexEntry => ({
    id,
    imageId: `sha256:${i}`,
    taskId: 't',
    scannedAt: '2026-12-01T00:00:00.000Z',
    categories: ['vulnerabilities'],
    risks: zeroRisks(),
    securityStatus: 'incomplete',
    notChecked,
    priorityScore: 0,
    highPriority: false,
    packages: 0,
    rematchedAt: null,
  });
  const run = async (rematch: ReturnType<typeof helperRematcher>, ids: string[], gaps?: (i: number) => ReportIndexEntry['notChecked']) => {
    const outcomes: RematchOutcome[] = [];
    await rematch({
      targets: ids.map((id, i) => ({ imageId: `sha256:${i}`, entry: entry(id, i, gaps?.(i)), repoDigests: [], runningContainers: i % 2 })),
      ignores: [],
      now: new Date('2026-12-05T00:00:00.000Z'),
      onOutcome: (o) => outcomes.push(o),
      signal: new AbortController().signal,
    });
    return outcomes.sort((a, b) => a.imageId.localeCompare(b.imageId));
  };

  it("gives each image, with the helper's own matcher (async, its database and report store), what a plain synchronous match gives", { timeout: 300_000 }, async () => {
    const ids = Array.from({ length: 18 }, () => randomUUID());
    const plain = await storedReports(join(root, 'plain'), ids);
    const own = await storedReports(join(root, 'helper'), ids);
    const covered = db.coveredEcosystems();
    const expected = await run(inThreadRematcher({ reports: plain, match: reportMatcher(db, { keepRecords: false }), gap: (r) => coverageGap(r.packages, covered) }), ids);
    const writers: ReportWriterThread[] = [];
    const startWriter = async () => {
      const writer = await ReportWriterThread.start();
      if (writer) writers.push(writer);
      return writer;
    };
    expect(await run(helperRematcher({ db: () => db, reports: own, startWriter }), ids)).toEqual(expected);
    // The writer thread wrote them (all but the reports the store still held in memory, which have no file bytes to send).
    expect(writers).toHaveLength(1);
    expect(writers[0]!.written).toBeGreaterThanOrEqual(15);
    const changed = expected.filter((o) => o.kind === 'changed');
    expect(changed).toHaveLength(18);
    expect(changed.some((o) => o.verdict.securityStatus === 'at_risk' && o.verdict.risks.vulnerabilities.high > 0 && o.verdict.knownExploited > 0)).toBe(true);
    for (const id of ids) expect(await readFile(join(root, 'helper', 'reports', `${id}.json`), 'utf8')).toBe(await readFile(join(root, 'plain', 'reports', `${id}.json`), 'utf8'));
    // A writer thread that fails every write: each report is written on the matching thread instead, the same.
    const fallback = await storedReports(join(root, 'fallback'), ids);
    const closedWriter = async () => {
      const writer = await ReportWriterThread.start();
      await writer?.close();
      return writer;
    };
    expect(await run(helperRematcher({ db: () => db, reports: fallback, startWriter: closedWriter }), ids)).toEqual(expected);
    for (const id of ids) expect(await readFile(join(root, 'fallback', 'reports', `${id}.json`), 'utf8')).toBe(await readFile(join(root, 'plain', 'reports', `${id}.json`), 'utf8'));
    // Again with nothing new (and the gaps the first run left): every image unchanged.
    const left = new Map(changed.map((o) => [o.imageId, o.verdict.notChecked]));
    const again = await run(helperRematcher({ db: () => db, reports: own }), ids, (i) => left.get(`sha256:${i}`)!);
    expect(again.map((o) => o.kind)).toEqual(ids.map(() => 'unchanged'));
  });

  it('ends with the reason when there is no database to re-match against', { timeout: 60_000 }, async () => {
    const ids = Array.from({ length: 2 }, () => randomUUID());
    const reports = await storedReports(join(root, 'no-db'), ids);
    await expect(run(helperRematcher({ db: () => null, reports }), ids)).rejects.toThrow('no vulnerability database to re-match against');
  });
});
