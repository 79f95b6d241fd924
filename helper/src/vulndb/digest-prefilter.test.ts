/**
 * The database stores, beside each package key, a digest of the record's entries for it, and
 * a match parses only the records whose digest can affect the installed version
 * (VulnDb.lookupFor). The hits must be exactly those of parsing every record: checked for
 * every package key of the committed advisory fixtures at every version their records name
 * (and versions below, between and above them), plus crafted records for the cases the digest
 * must get right: withdrawn records, one ID in two sources, release-less distro entries next
 * to released ones, PyPI's name forms, GIT ranges, `last_affected` and `limit` events. A file
 * written before digests existed (NULL digests) gives the same hits too.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hitsFor, type AdvisoryLookup, type AffectedDigest, type OsvRecord, type PackageQuery } from '@shipshape/analyzers/match/index.ts';
import { importPath } from './import-path.ts';
import { vulnDbPath } from './schema.ts';
import { DigestMemo, openVulnDb, type VulnDb } from './store.ts';
import { advisoryFixtures, fixture } from './testing/fixtures.ts';

const MODIFIED = '2024-06-01T00:00:00Z';
const range = (events: object[], type = 'ECOSYSTEM') => ({ type, events });

/** Records for the cases a digest could get wrong; two files, so the same ID comes from two sources. */
const crafted: OsvRecord[][] = [
  [
    { id: 'CRAFT-WITHDRAWN', withdrawn: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'craft-a' }, ranges: [range([{ introduced: '0' }])] }] },
    // Not affecting 2.0.0 in this source; affecting it in the other: the first one met claims the ID.
    { id: 'CRAFT-DUP', affected: [{ package: { ecosystem: 'npm', name: 'craft-a' }, ranges: [range([{ introduced: '0' }, { fixed: '1.0.0' }])] }] },
    {
      id: 'CRAFT-DEBIAN',
      affected: [
        { package: { ecosystem: 'Debian', name: 'craftpkg' }, ranges: [range([{ introduced: '0' }, { fixed: '2.0-1' }])] },
        { package: { ecosystem: 'Debian:12', name: 'craftpkg' }, ranges: [range([{ introduced: '0' }, { fixed: '1.5-1' }])] },
        { package: { ecosystem: 'Debian:12', name: 'craftpkg' }, versions: ['1.7-1'] },
      ],
    },
    { id: 'CRAFT-PYPI', affected: [{ package: { ecosystem: 'PyPI', name: 'Craft_Py.Pkg' }, ranges: [range([{ introduced: '1.0' }, { last_affected: '1.4' }])] }] },
    { id: 'CRAFT-GIT', affected: [{ package: { ecosystem: 'Go', name: 'example.com/craft' }, ranges: [range([{ introduced: '0' }], 'GIT'), range([{ introduced: '1.2.0' }, { limit: '1.3.0' }], 'SEMVER')], versions: ['0.9.0'] }] },
    { id: 'CRAFT-UBUNTU', affected: [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'craftpkg' }, ranges: [range([{ introduced: '0' }, { fixed: '1.2-1ubuntu1' }])] }] },
    {
      id: 'CRAFT-RELEASES',
      affected: [
        { package: { ecosystem: 'Debian:12', name: 'craftrel' }, ranges: [range([{ introduced: '0' }, { fixed: '1.0-2' }])] },
        { package: { ecosystem: 'Debian:13', name: 'craftrel' }, ranges: [range([{ introduced: '0' }, { fixed: '1.0-5' }])] },
      ],
    },
  ],
  [{ id: 'CRAFT-DUP', affected: [{ package: { ecosystem: 'npm', name: 'craft-a' }, ranges: [range([{ introduced: '0' }, { fixed: '3.0.0' }])] }] }],
];

const craftedQueries: PackageQuery[] = [
  ...['0.5.0', '1.0.0', '2.0.0', '3.0.0'].map((version) => ({ ecosystem: 'npm', name: 'craft-a', version })),
  ...['1.0-1', '1.5-1', '1.7-1', '1.9-1', '2.0-1'].map((version) => ({ ecosystem: 'Debian:12', name: 'craftpkg', version })),
  ...['1.0-1', '1.9-1', '2.0-1'].map((version) => ({ ecosystem: 'Debian:11', name: 'craftpkg', version })),
  ...['1.0-1', '1.0-3', '1.0-5'].flatMap((version) => ['Debian:12', 'Debian:13', 'Debian'].map((ecosystem) => ({ ecosystem, name: 'craftrel', version }))),
  ...['0.9', '1.0', '1.4', '1.4.1'].flatMap((version) => ['Craft_Py.Pkg', 'craft-py-pkg', 'CRAFT.PY_PKG'].map((name) => ({ ecosystem: 'PyPI', name, version }))),
  ...['v0.9.0', '1.1.0', '1.2.5', '1.3.0'].map((version) => ({ ecosystem: 'Go', name: 'example.com/craft', version })),
  ...['1.1-1', '1.2-1ubuntu1'].flatMap((version) => ['Ubuntu:22.04', 'Ubuntu:22.04:LTS'].map((ecosystem) => ({ ecosystem, name: 'craftpkg', version }))),
];

let root: string;
let legacyRoot: string;
let db: VulnDb;
/** The same file opened again: its lookup parses (and keeps) every record, and shares no cache with db. */
let reference: VulnDb;
let legacy: VulnDb;
let fixtureQueries: PackageQuery[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shipshape-digest-'));
  const input = join(root, 'input');
  await mkdir(input);
  for (const f of (await readdir(advisoryFixtures)).filter((f) => f.startsWith('osv-') && f.endsWith('.jsonl.gz') && !f.includes('expectations'))) await copyFile(fixture(f), join(input, f));
  for (const [i, records] of crafted.entries()) await writeFile(join(input, `crafted-${i}.jsonl.gz`), gzipSync(records.map((r) => JSON.stringify({ modified: MODIFIED, ...r })).join('\n')));
  await importPath(root, input);
  db = openVulnDb(root)!;
  reference = openVulnDb(root)!;

  // The same file as one written before digests: the column there, every value NULL.
  legacyRoot = await mkdtemp(join(tmpdir(), 'shipshape-digest-legacy-'));
  await mkdir(join(legacyRoot, 'vulndb'));
  await copyFile(vulnDbPath(root), vulnDbPath(legacyRoot));
  const raw = new Database(vulnDbPath(legacyRoot));
  raw.exec('UPDATE affected SET digest = NULL');
  raw.close();
  legacy = openVulnDb(legacyRoot)!;

  // Every package key at every version its records name, and around them.
  const sql = new Database(vulnDbPath(root), { readonly: true });
  const rows = sql.prepare('SELECT a.ecosystem, a.name, v.json FROM affected a JOIN advisories v ON v.rowid = a.advisory').raw().all() as [string, string, string][];
  sql.close();
  const versions = new Map<string, Set<string>>();
  for (const [ecosystem, name, json] of rows) {
    const key = `${ecosystem}\0${name}`;
    const set = versions.get(key) ?? new Set(['0', '0.0.1', '999.0.0']);
    versions.set(key, set);
    for (const entry of (JSON.parse(json) as OsvRecord).affected ?? []) {
      for (const v of entry.versions ?? []) set.add(v);
      for (const r of entry.ranges ?? []) for (const e of r.events ?? []) for (const v of Object.values(e)) if (typeof v === 'string' && v !== '0') set.add(v).add(`${v}.1`).add(`${v}-0`);
    }
  }
  fixtureQueries = [...versions].flatMap(([key, set]) => {
    const [ecosystem, name] = key.split('\0') as [string, string];
    // A release-less distro key is looked up for its releases too.
    const ecosystems = ecosystem === 'Debian' ? ['Debian', 'Debian:12'] : [ecosystem];
    // At most 40 versions per key (spread over its list) keep the test within seconds.
    const all = [...set];
    const picked = all.length <= 40 ? all : all.filter((_, i) => i % Math.ceil(all.length / 40) === 0);
    return ecosystems.flatMap((e) => picked.map((version) => ({ ecosystem: e, name, version })));
  });
}, 300_000);

afterAll(async () => {
  db?.close();
  reference?.close();
  legacy?.close();
  await rm(root, { recursive: true, force: true });
  await rm(legacyRoot, { recursive: true, force: true });
});

const hitsOf = (query: PackageQuery, lookup: AdvisoryLookup) => hitsFor(query, lookup).map((h) => ({ record: h.record, entries: h.entries }));

describe('the digest pre-filter', () => {
  it('gives the hits of parsing every record, for every package and version of the fixtures', { timeout: 300_000 }, () => {
    expect(fixtureQueries.length).toBeGreaterThan(5_000);
    let hits = 0;
    // One memo for all queries, as a matcher keeps it: most keys are looked up at many versions.
    const memo = new DigestMemo();
    for (const query of fixtureQueries) {
      const full = hitsOf(query, reference.lookup);
      expect(hitsOf(query, db.lookupFor(query, false)), `${query.ecosystem} ${query.name} ${query.version}`).toEqual(full);
      expect(hitsOf(query, db.lookupFor(query, false, memo)), `${query.ecosystem} ${query.name} ${query.version}, memo`).toEqual(full);
      hits += full.length;
    }
    // The comparison is not vacuous: many queries hit, many do not.
    expect(hits).toBeGreaterThan(1_000);
  });

  it("a matcher's memo reads a key again only until it is met a second time, and forgets the rows of a file reopened since", () => {
    const memo = new DigestMemo();
    let reads = 0;
    const read = (): [number, null][] => {
      reads++;
      return [[reads, null]];
    };
    const rowsOf = (generation: number, key: string) => memo.rows(generation, key, read)[0]![0];
    expect([rowsOf(0, 'npm\0a'), rowsOf(0, 'npm\0a'), rowsOf(0, 'npm\0a')]).toEqual([1, 2, 2]);
    expect(rowsOf(0, 'npm\0b')).toBe(3);
    // The database was reopened on a new file: rows read from the old one are not used again.
    expect([rowsOf(1, 'npm\0a'), rowsOf(1, 'npm\0a'), rowsOf(1, 'npm\0a')]).toEqual([4, 5, 5]);
  });

  it('gets withdrawn records, one ID from two sources, release-less entries, name forms and odd ranges right', () => {
    const found = craftedQueries.map((q) => ({ q, ids: hitsFor(q, db.lookupFor(q, false)).map((h) => h.record.id) }));
    for (const { q, ids } of found) expect(ids, `${q.ecosystem} ${q.name} ${q.version}`).toEqual(hitsFor(q, reference.lookup).map((h) => h.record.id));
    const idsOf = (ecosystem: string, name: string, version: string) => found.find(({ q }) => q.ecosystem === ecosystem && q.name === name && q.version === version)!.ids;
    // Expected outcomes, so the cases are exercised and not only equal.
    expect(idsOf('npm', 'craft-a', '0.5.0')).toEqual(['CRAFT-DUP']);
    expect(idsOf('npm', 'craft-a', '2.0.0')).toEqual([]); // the first CRAFT-DUP (fixed 1.0.0) claims the ID
    expect(idsOf('Debian:12', 'craftpkg', '1.7-1')).toEqual(['CRAFT-DEBIAN']);
    expect(idsOf('Debian:12', 'craftpkg', '1.9-1')).toEqual(['CRAFT-DEBIAN']); // by the release-less entry
    expect(idsOf('Debian:12', 'craftpkg', '2.0-1')).toEqual([]);
    expect(idsOf('PyPI', 'CRAFT.PY_PKG', '1.4')).toEqual(['CRAFT-PYPI']);
    expect(idsOf('PyPI', 'craft-py-pkg', '1.4.1')).toEqual([]);
    expect(idsOf('Go', 'example.com/craft', 'v0.9.0')).toEqual(['CRAFT-GIT']);
    expect(idsOf('Go', 'example.com/craft', '1.2.5')).toEqual(['CRAFT-GIT']);
    expect(idsOf('Go', 'example.com/craft', '1.3.0')).toEqual([]);
    expect(idsOf('Ubuntu:22.04:LTS', 'craftpkg', '1.1-1')).toEqual(['CRAFT-UBUNTU']);
    expect(idsOf('Debian:12', 'craftrel', '1.0-3')).toEqual([]);
    expect(idsOf('Debian:13', 'craftrel', '1.0-3')).toEqual(['CRAFT-RELEASES']);
  });

  it('is stored for every affected row of a fresh import, and only parses the records that can hit', () => {
    const sql = new Database(vulnDbPath(root), { readonly: true });
    expect(sql.prepare('SELECT count(*) FROM affected WHERE digest IS NULL').pluck().get()).toBe(0);
    const digestOf = (id: string, ecosystem: string) => JSON.parse(sql.prepare('SELECT a.digest FROM affected a JOIN advisories v ON v.rowid = a.advisory WHERE v.id = ? AND a.ecosystem = ?').pluck().get(id, ecosystem) as string) as AffectedDigest;
    const digest = digestOf('CRAFT-DEBIAN', 'Debian:12');
    const releases = digestOf('CRAFT-RELEASES', 'Debian:12');
    sql.close();
    // The release's own entries and the release-less one (a Debian:12 query applies both).
    expect(digest).toEqual({ id: 'CRAFT-DEBIAN', affected: crafted[0]![2]!.affected });
    // Another release's entries stay out.
    expect(releases.affected).toEqual([crafted[0]![6]!.affected![0]]);
    // A record that cannot hit comes back as its ID alone.
    const query = { ecosystem: 'npm', name: 'craft-a', version: '5.0.0' };
    expect(db.lookupFor(query, false)('npm', 'craft-a').map((r) => [r.id, r.affected?.length ?? 0])).toEqual([
      ['CRAFT-WITHDRAWN', 0],
      ['CRAFT-DUP', 0],
      ['CRAFT-DUP', 0],
    ]);
  });

  it("answers a package's digests from its index alone (no table row read per record)", () => {
    const sql = new Database(vulnDbPath(root), { readonly: true });
    const plan = (statement: string) => (sql.prepare(`EXPLAIN QUERY PLAN ${statement}`).all('npm', 'craft-a') as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    expect(plan('SELECT advisory, digest FROM affected WHERE ecosystem = ? AND name = ?')).toMatch(/USING COVERING INDEX affected_package/);
    expect(plan('SELECT advisory FROM affected WHERE ecosystem = ? AND name = ?')).toMatch(/USING COVERING INDEX affected_package/);
    sql.close();
  });

  it('falls back to parsing records whose digest is missing (a file written before digests)', { timeout: 300_000 }, () => {
    for (const query of [...craftedQueries, ...fixtureQueries.filter((_, i) => i % 7 === 0)]) {
      expect(hitsOf(query, legacy.lookupFor(query, false))).toEqual(hitsOf(query, reference.lookup));
    }
  });

  it('reads a file with no digest column, and the next import adds it for the records it writes', { timeout: 300_000 }, async () => {
    const old = await mkdtemp(join(tmpdir(), 'shipshape-digest-old-'));
    try {
      await mkdir(join(old, 'vulndb'));
      await copyFile(vulnDbPath(root), vulnDbPath(old));
      const raw = new Database(vulnDbPath(old));
      // As such a file was: its package index on the two key columns only.
      raw.exec('DROP INDEX affected_package; ALTER TABLE affected DROP COLUMN digest; CREATE INDEX affected_package ON affected (ecosystem, name)');
      raw.close();
      const before = openVulnDb(old)!;
      for (const query of craftedQueries) expect(hitsOf(query, before.lookupFor(query, false))).toEqual(hitsOf(query, reference.lookup));
      before.close();

      const input = join(old, 'input');
      await mkdir(input);
      await writeFile(join(input, 'more.jsonl.gz'), gzipSync(JSON.stringify({ id: 'CRAFT-LATER', modified: MODIFIED, affected: [{ package: { ecosystem: 'npm', name: 'craft-b' }, versions: ['1.0.0'] }] })));
      await importPath(old, input);
      const sql = new Database(vulnDbPath(old), { readonly: true });
      const digests = sql.prepare('SELECT a.name, a.digest IS NOT NULL FROM affected a WHERE a.name IN (?, ?)').raw().all('craft-a', 'craft-b');
      sql.close();
      expect(digests).toEqual(expect.arrayContaining([['craft-b', 1], ['craft-a', 0]]));
      const after = openVulnDb(old)!;
      const query = { ecosystem: 'npm', name: 'craft-b', version: '1.0.0' };
      expect(hitsFor(query, after.lookupFor(query, false)).map((h) => h.record.id)).toEqual(['CRAFT-LATER']);
      for (const q of craftedQueries) expect(hitsOf(q, after.lookupFor(q, false))).toEqual(hitsOf(q, reference.lookup));
      after.close();
    } finally {
      await rm(old, { recursive: true, force: true });
    }
  });
});
