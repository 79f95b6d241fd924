/**
 * A generated OSV feed of the real one's shape and size, for `pnpm bench vulndb`: one
 * `<Ecosystem>/all.zip` per default ecosystem, one `<ID>.json` per record, as the OSV bucket
 * serves them. The record mix follows osv.dev (2025): npm is mostly malicious-package reports
 * (well over 100,000 `MAL-*`), Debian and Ubuntu tens of thousands of per-CVE records with
 * per-release ranges and long version lists, then PyPI, Alpine, Maven, Go, Packagist and the
 * rest. Records are cloned from the committed real records of each kind (new IDs and package
 * names) or, for the distributions (no OSV records of theirs are committed), written to their
 * published shape. Deterministic (seeded), and cached under test/.cache/ between runs.
 *
 * Which installed versions the distro records affect (`FeedMix`, `BENCH_OSV_MIX`):
 * - `realistic` (default): most per-CVE records of a package a current point release ships
 *   were fixed long before it. The Debian security tracker lists every CVE ever filed against
 *   a source package (glibc, openssl, linux: hundreds each) with the version that fixed it in
 *   each release, and for bookworm that is mostly a version older than the one the release
 *   shipped (fixed upstream or in unstable years before, `<= 12.x`). What stays open is a few
 *   per cent: `unimportant`, `no-dsa`, `postponed` or `ignored` CVEs with no fix in bookworm
 *   (the bulk of what Trivy and Grype report on a current `debian:12`, ~100 findings for its
 *   ~90 packages), and fewer fixed in a later `+deb12uN` point update the system has not
 *   installed yet. Of the records naming an installed package here, 96.5% name a fixed version
 *   older than the installed one, 2.5% none (unfixed), 1% the next `+deb12uN`: about 1,200
 *   findings for the debian12-host's ~880 packages (359 source packages), where real Debian 12
 *   systems of that size see hundreds to ~1,500. Ubuntu's CVE tracker is alike (most CVEs of
 *   a package `released` long before the LTS's version, a few `needed`/`deferred` with no fix,
 *   a few fixed in a later `ubuntu0.N`): the same shares with `ubuntu0.N` versions.
 * - `heavy` (the generator's first version): every distro record affects the installed
 *   version (fixed in a later `+deb12uN`/`ubuntu0.N` or unfixed), ~35,000 findings per
 *   Debian inventory: no real system looks like that, it shows how matching scales.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import archiver from 'archiver';
import { ZipFile } from '@shipshape/helper/vulndb/sources/zip-file.ts';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '..', 'fixtures', 'advisories');
const DPKG_STATUS = join(here, '..', '..', 'analyzers', 'src', 'os-packages', 'dpkg', 'testdata', 'debian12-host', 'var', 'lib', 'dpkg', 'status');
/** Bump when the generator changes: the cache is keyed on it. */
const GENERATOR_VERSION = 2;

/** Which installed versions the distro records affect (see above). */
export type FeedMix = 'realistic' | 'heavy';

export function feedMixFromEnv(env: NodeJS.ProcessEnv = process.env): FeedMix {
  const mix = env.BENCH_OSV_MIX?.trim() || 'realistic';
  if (mix !== 'realistic' && mix !== 'heavy') throw new Error(`BENCH_OSV_MIX=${mix}: use realistic or heavy`);
  return mix;
}

/** Shares of the records naming an installed package (realistic mix): fixed before it, unfixed; the rest fixed after it. */
const FIXED_BEFORE = 0.965;
const UNFIXED = 0.025;

/** Records per ecosystem: the default ecosystems the helper fetches. */
export const FEED_MIX: Record<string, { total: number; malicious?: number }> = {
  npm: { total: 152_000, malicious: 140_000 },
  Debian: { total: 48_000 },
  Ubuntu: { total: 42_000 },
  PyPI: { total: 16_000, malicious: 10_000 },
  Alpine: { total: 9_000 },
  Maven: { total: 6_000 },
  Go: { total: 5_000 },
  Packagist: { total: 4_500 },
  'crates.io': { total: 2_000 },
  RubyGems: { total: 2_000, malicious: 800 },
  NuGet: { total: 1_500, malicious: 700 },
};

export interface FeedArchive {
  ecosystem: string;
  file: string;
  records: number;
  bytes: number;
  jsonBytes: number;
}

/** mulberry32: a small seeded generator, so the feed is the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'ver', 'tix', 'mon', 'dra', 'pel', 'zu', 'quin', 'sha', 'ro', 'net', 'bly', 'cor', 'fen', 'gal', 'hu', 'jet', 'mar', 'pix', 'sol', 'tra', 'vex', 'wen', 'yor'];

/** Package names of a plausible look (`lovertix-mondra`), `count` distinct ones. */
export function packageNames(count: number, seed: number, style: 'npm' | 'pypi' | 'java' | 'php' | 'plain' = 'npm'): string[] {
  const random = rng(seed);
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
  const names = new Set<string>();
  while (names.size < count) {
    const n = names.size;
    if (style === 'java') names.add(`org.${word()}.${word()}:${word()}-${word()}`);
    else if (style === 'php') names.add(`${word()}/${word()}-${word()}`);
    else if (style === 'pypi') names.add(`${word()}_${word()}${n % 7 === 0 ? n : ''}`);
    else names.add(`${n % 9 === 0 ? `@${word()}/` : ''}${word()}-${word()}${n % 5 === 0 ? `-${n}` : ''}`);
  }
  return [...names];
}

async function fixtureRecords(file: string, keep: (r: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(join(FIXTURES, file)).pipe(createGunzip()) })) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as Record<string, unknown>;
    if (keep(record)) out.push(record);
  }
  return out;
}

const ecosystemOf = (r: Record<string, unknown>) => ((r.affected as Array<{ package?: { ecosystem?: string } }> | undefined)?.[0]?.package?.ecosystem ?? '').split(':')[0];

/** A real record with a new ID and every affected package renamed (ranges, versions, texts kept). */
function cloneRecord(template: Record<string, unknown>, id: string, name: string, ecosystem: string): Record<string, unknown> {
  const affected = (template.affected as Array<Record<string, unknown>> | undefined) ?? [];
  const oldName = ((affected[0]?.package as { name?: string } | undefined)?.name ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rename = (text: unknown) => (typeof text === 'string' && oldName ? text.replace(new RegExp(oldName, 'g'), name) : text);
  return {
    ...template,
    id,
    aliases: [],
    summary: rename(template.summary),
    details: rename(template.details),
    affected: affected.map((a) => ({ ...a, package: { ...(a.package as object), ecosystem, name } })),
  };
}

const ghsaId = (random: () => number) => `GHSA-${[4, 4, 4].map(() => Array.from({ length: 4 }, () => '23456789cfghjmpqrvwx'[Math.floor(random() * 20)]).join('')).join('-')}`;

/** Debian/Ubuntu source packages: the real ones of a Debian 12 system, then made-up ones. */
async function distroPackages(count: number): Promise<Array<{ name: string; version: string }>> {
  const text = await readFile(DPKG_STATUS, 'utf8');
  const real: Array<{ name: string; version: string }> = [];
  for (const block of text.split('\n\n')) {
    const name = /^Source: (\S+)/m.exec(block)?.[1] ?? /^Package: (\S+)/m.exec(block)?.[1];
    const version = /^Version: (\S+)/m.exec(block)?.[1];
    if (name && version && !real.some((r) => r.name === name)) real.push({ name, version });
  }
  const made = packageNames(Math.max(0, count - real.length), 77, 'plain').map((name, i) => ({ name: `lib${name}`, version: `${1 + (i % 9)}.${i % 23}.${i % 7}-${1 + (i % 4)}` }));
  return [...real, ...made].slice(0, count);
}

const DEBIAN_RELEASES = [
  ['Debian:11', 'deb11u'],
  ['Debian:12', 'deb12u'],
  ['Debian:13', 'deb13u'],
] as const;
const UBUNTU_RELEASES = ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS', 'Ubuntu:24.10', 'Ubuntu:Pro:18.04:LTS', 'Ubuntu:Pro:16.04:LTS'];
const ALPINE_RELEASES = ['Alpine:v3.17', 'Alpine:v3.18', 'Alpine:v3.19', 'Alpine:v3.20', 'Alpine:v3.21'];
const LOREM = 'A flaw was found in the handling of crafted input, where a remote attacker could trigger an out-of-bounds read or write, leading to a denial of service or possibly the execution of arbitrary code with the privileges of the process. ';

/** A version dpkg orders before `version` (same epoch, an older upstream): the fix of an old CVE. */
function olderVersion(version: string, random: () => number): string {
  const epoch = /^\d+:/.exec(version)?.[0] ?? '';
  const upstream = version.slice(epoch.length).replace(/-[^-]*$/, '');
  const major = /^(\d+)(.*)$/.exec(upstream);
  const revision = 1 + Math.floor(random() * 5);
  return major && Number(major[1]) > 0 ? `${epoch}${Number(major[1]) - 1}${major[2]}-${revision}` : `${epoch}${upstream}~pre${revision}-1`;
}

/**
 * The fix of one release's entry for the installed release (Debian 12, or any Ubuntu): in the
 * realistic mix mostly older than the installed version, sometimes none, sometimes `later`;
 * in the heavy mix `later` (or none, when `fixed` says so).
 */
function fixFor(mix: FeedMix, installed: string, later: () => string, fixed: boolean, random: () => number): { fixed: string | null; versionBase: string } {
  const base = installed.replace(/-[^-]*$/, '');
  if (mix === 'heavy') return { fixed: fixed ? later() : null, versionBase: base };
  const roll = random();
  if (roll < FIXED_BEFORE) {
    const older = olderVersion(installed, random);
    return { fixed: older, versionBase: older.replace(/-[^-]*$/, '') };
  }
  return { fixed: roll < FIXED_BEFORE + UNFIXED ? null : later(), versionBase: base };
}

function distroRecord(kind: 'Debian' | 'Ubuntu' | 'Alpine', n: number, random: () => number, pkg: { name: string; version: string }, mix: FeedMix): Record<string, unknown> {
  const year = 2014 + (n % 12);
  const cve = `CVE-${year}-${10000 + n}`;
  const versionsOf = (count: number, base = pkg.version.replace(/-[^-]*$/, '')) => Array.from({ length: count }, (_, i) => `${base}-${i + 1}`);
  const modified = new Date(Date.UTC(2025, n % 12, 1 + (n % 27))).toISOString();
  if (kind === 'Alpine') {
    const releases = ALPINE_RELEASES.filter(() => random() < 0.5);
    return {
      id: `ALPINE-${cve}`,
      modified,
      published: modified,
      upstream: [cve],
      details: LOREM.slice(0, 120 + Math.floor(random() * 200)),
      affected: (releases.length ? releases : [ALPINE_RELEASES[0]!]).map((ecosystem) => ({
        package: { ecosystem, name: pkg.name, purl: `pkg:apk/alpine/${pkg.name}?arch=source` },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${pkg.version.replace(/-.*$/, '')}-r${1 + Math.floor(random() * 9)}` }] }],
      })),
      schema_version: '1.6.0',
    };
  }
  if (kind === 'Debian') {
    const id = n % 10 === 0 ? `DSA-${3000 + n}-1` : n % 10 === 1 ? `DLA-${2000 + n}-1` : `DEBIAN-${cve}`;
    return {
      id,
      modified,
      published: modified,
      upstream: [cve],
      details: LOREM.slice(0, 150 + Math.floor(random() * 250)),
      affected: DEBIAN_RELEASES.filter(() => random() < 0.7).map(([ecosystem, suffix]) => {
        const later = () => `${pkg.version}+${suffix}${1 + Math.floor(random() * 5)}`;
        // The installed version is bookworm's: the other releases' entries keep the heavy shape (they match no Debian 12 package).
        const fix = fixFor(ecosystem === 'Debian:12' ? mix : 'heavy', pkg.version, later, random() < 0.8, random);
        return {
          package: { name: pkg.name, ecosystem, purl: `pkg:deb/debian/${pkg.name}?arch=source` },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fix.fixed ? [{ fixed: fix.fixed }] : [])] }],
          versions: versionsOf(5 + Math.floor(random() * 20), fix.versionBase),
          ecosystem_specific: { urgency: ['low', 'medium', 'high', 'not yet assigned'][Math.floor(random() * 4)] },
          database_specific: { source: `https://storage.googleapis.com/cve-osv-conversion/osv-output/${id}.json` },
        };
      }),
      schema_version: '1.6.0',
    };
  }
  const releases = UBUNTU_RELEASES.filter(() => random() < 0.45);
  return {
    id: `UBUNTU-${cve}`,
    details: LOREM.repeat(1 + Math.floor(random() * 2)).slice(0, 200 + Math.floor(random() * 400)),
    aliases: [],
    related: [cve],
    published: modified,
    modified,
    upstream: [cve],
    severity: [
      { type: 'Ubuntu', score: ['negligible', 'low', 'medium', 'high'][Math.floor(random() * 4)] },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    ],
    affected: (releases.length ? releases : [UBUNTU_RELEASES[1]!]).map((ecosystem) => {
      const fix = fixFor(mix, pkg.version, () => `${pkg.version}ubuntu0.${1 + Math.floor(random() * 4)}`, true, random);
      return {
        package: { ecosystem, name: pkg.name, purl: `pkg:deb/ubuntu/${pkg.name}@${pkg.version}?arch=source&distro=${ecosystem.split(':').at(-2)}` },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fix.fixed ? [{ fixed: fix.fixed }] : [])] }],
        versions: versionsOf(10 + Math.floor(random() * 30), fix.versionBase),
        ecosystem_specific: { binaries: [{ binary_name: pkg.name, binary_version: pkg.version }], availability: 'No subscription required' },
      };
    }),
    references: [
      { type: 'REPORT', url: `https://ubuntu.com/security/${cve}` },
      { type: 'REPORT', url: `https://www.cve.org/CVERecord?id=${cve}` },
      { type: 'ADVISORY', url: `https://ubuntu.com/security/notices/USN-${6000 + (n % 900)}-1` },
    ],
    schema_version: '1.6.3',
  };
}

/** The records of one ecosystem, one JSON text at a time. */
async function* recordsOf(ecosystem: string, mix: { total: number; malicious?: number }, feedMix: FeedMix): AsyncGenerator<{ id: string; json: string }> {
  const random = rng(ecosystem.length * 7919 + mix.total);
  const malicious = mix.malicious ?? 0;
  if (ecosystem === 'Debian' || ecosystem === 'Ubuntu' || ecosystem === 'Alpine') {
    const packages = await distroPackages(4000);
    for (let n = 0; n < mix.total; n++) {
      // Popular packages carry many CVEs: half the records name the first tenth of the list.
      const pkg = packages[random() < 0.5 ? Math.floor(random() * 400) : Math.floor(random() * packages.length)]!;
      const record = distroRecord(ecosystem, n, random, pkg, feedMix);
      yield { id: record.id as string, json: JSON.stringify(record) };
    }
    return;
  }
  const style = ecosystem === 'Maven' ? 'java' : ecosystem === 'Packagist' ? 'php' : ecosystem === 'PyPI' ? 'pypi' : 'npm';
  const malTemplates = malicious ? await fixtureRecords('osv-malicious-packages.jsonl.gz', (r) => ecosystemOf(r) === ecosystem || (ecosystem !== 'npm' && ecosystemOf(r) === 'npm')) : [];
  const advisoryFile: Record<string, string> = { npm: 'osv-ghsa-npm-sample.jsonl.gz', PyPI: 'osv-pypi-pysec.jsonl.gz', Go: 'osv-go-vulndb.jsonl.gz', Maven: 'osv-ghsa-maven.jsonl.gz', 'crates.io': 'osv-crates-rustsec.jsonl.gz' };
  const advisoryTemplates = await fixtureRecords(advisoryFile[ecosystem] ?? 'osv-ghsa-maven.jsonl.gz');
  const malNames = packageNames(malicious, ecosystem.length * 31 + 1, style);
  // Advisories name fewer, more popular packages, several records each.
  const advisoryNames = packageNames(Math.max(1, Math.ceil((mix.total - malicious) / 3)), ecosystem.length * 31 + 2, style);
  for (let n = 0; n < mix.total; n++) {
    if (n < malicious) {
      const id = `MAL-${2022 + (n % 4)}-${n + 1}`;
      yield { id, json: JSON.stringify(cloneRecord(malTemplates[n % malTemplates.length]!, id, malNames[n]!, ecosystem)) };
    } else {
      const template = advisoryTemplates[n % advisoryTemplates.length]!;
      const prefix = ecosystem === 'Go' ? `GO-${2020 + (n % 6)}-${n}` : ecosystem === 'crates.io' ? `RUSTSEC-${2017 + (n % 9)}-${String(n).padStart(4, '0')}` : ecosystem === 'PyPI' && n % 2 ? `PYSEC-${2018 + (n % 7)}-${n}` : ghsaId(random);
      const name = ecosystem === 'Go' && n % 5 === 0 ? `github.com/${advisoryNames[n % advisoryNames.length]!}/v2` : advisoryNames[n % advisoryNames.length]!;
      yield { id: prefix, json: JSON.stringify(cloneRecord(template, prefix, name, ecosystem)) };
    }
  }
}

/**
 * One archive, written as it is generated (archiver's zip stream: entries go out one at a
 * time with back-pressure; yazl scans its whole entry list per entry, quadratic at this size).
 */
async function writeZip(file: string, records: AsyncIterable<{ id: string; json: string }>): Promise<{ records: number; jsonBytes: number }> {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const out = createWriteStream(`${file}.partial`);
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    zip.on('error', reject);
    out.on('error', reject);
  });
  zip.pipe(out);
  let count = 0;
  let jsonBytes = 0;
  const seen = new Set<string>();
  const date = new Date(Date.UTC(2025, 0, 1));
  for await (const r of records) {
    let name = `${r.id}.json`;
    if (seen.has(name)) name = `${r.id}-${count}.json`;
    seen.add(name);
    const body = Buffer.from(r.json);
    zip.append(body, { name, date });
    count++;
    jsonBytes += body.length;
    // archiver queues what it has not written yet: wait for it now and then.
    if (count % 2000 === 0) await new Promise<void>((resolve) => (zip.pointer() > 0 && out.writableLength < 1 << 20 ? setImmediate(resolve) : out.once('drain', resolve)));
  }
  await zip.finalize();
  await done;
  await rename(`${file}.partial`, file);
  return { records: count, jsonBytes };
}

/** Records and inflated bytes of an archive written by an earlier run (its entries' sizes, from the central directory). */
function archiveCounts(file: string): { records: number; jsonBytes: number } {
  const zip = ZipFile.open(file);
  try {
    return { records: zip.entries.length, jsonBytes: zip.entries.reduce((n, e) => n + e.uncompressedSize, 0) };
  } finally {
    zip.close();
  }
}

/**
 * The feed's archives under `cacheDir` (made on first use), with their counts and sizes. An
 * archive is renamed into place only once complete, so a generation cut short resumes with
 * the archives it had finished.
 */
export async function ensureOsvFeed(cacheDir: string, log: (line: string) => void = () => {}, feedMix: FeedMix = feedMixFromEnv()): Promise<FeedArchive[]> {
  const root = join(cacheDir, `osv-feed-v${GENERATOR_VERSION}-${feedMix}`);
  const index = join(root, 'index.json');
  // The index names each archive by its ecosystem: its path is worked out here, so a cache
  // copied or moved (another checkout) still serves.
  if (existsSync(index)) return (JSON.parse(await readFile(index, 'utf8')) as FeedArchive[]).map((a) => ({ ...a, file: join(root, a.ecosystem, 'all.zip') }));
  const archives: FeedArchive[] = [];
  for (const [ecosystem, mix] of Object.entries(FEED_MIX)) {
    const started = performance.now();
    const file = join(root, ecosystem, 'all.zip');
    await mkdir(dirname(file), { recursive: true });
    const { records, jsonBytes } = existsSync(file) ? archiveCounts(file) : await writeZip(file, recordsOf(ecosystem, mix, feedMix));
    const bytes = (await stat(file)).size;
    archives.push({ ecosystem, file, records, bytes, jsonBytes });
    log(`generated ${ecosystem}/all.zip (${feedMix} mix): ${records.toLocaleString('en')} records, ${(bytes / 1e6).toFixed(1)} MB zipped (${(jsonBytes / 1e6).toFixed(1)} MB JSON) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await writeFile(index, JSON.stringify(archives, null, 2));
  return archives;
}
