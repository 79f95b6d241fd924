import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from './import-path.ts';
import { SCHEMA_VERSION, vulnDbPath } from './schema.ts';
import { openVulnDb, vulnDbStatus, type VulnDb } from './store.ts';
import { advisoryFixtures, fixture } from './testing/fixtures.ts';

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) if (line.trim()) n++;
  return n;
}

const osvFiles = [
  'osv-go-vulndb.jsonl.gz',
  'osv-pypi-pysec.jsonl.gz',
  'osv-crates-rustsec.jsonl.gz',
  'osv-ghsa-maven.jsonl.gz',
  'osv-ghsa-npm-sample.jsonl.gz',
  'osv-malicious-packages.jsonl.gz',
];

let dataDir: string;
let scratch: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-'));
  scratch = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-input-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('importing the shared advisories', () => {
  it('imports every record of every source without loss', async () => {
    const result = await importPath(dataDir, advisoryFixtures);
    expect(result.skipped).toBe(0);
    const bySource = new Map(result.sources.map((s) => [s.source.split('/').pop(), s]));
    for (const file of osvFiles) expect(bySource.get(file)?.records, file).toBe(await countLines(fixture(file)));
    // Native sources: one record per advisory (DSA/DLA entries), per flaw and release (secdb).
    expect(bySource.get('DSA-list.txt.gz')?.records).toBe(3800);
    expect(bySource.get('DLA-list.txt.gz')?.records).toBe(2491);
    const alpine = result.sources.filter((s) => s.source.includes('/alpine-secdb/'));
    expect(alpine).toHaveLength(18);
    // Not OSV: the node security-wg files, the sidecar, the expectations, SOURCE.md.
    expect(result.ignored.map((p) => p.split('/').pop()).sort()).toEqual([
      'SOURCE.md',
      'nodejs-security-wg-core.jsonl.gz',
      'nodejs-security-wg-npm.jsonl.gz',
      'osv-api-querybatch-expectations.jsonl.gz',
      'osv-ghsa-npm-sample.sources.json',
    ]);

    const status = vulnDbStatus(dataDir);
    expect(status?.records).toBe(result.records);
    expect(status?.schemaVersion).toBe(SCHEMA_VERSION);
    expect(status?.ecosystems).toMatchObject({ Go: 3014, 'crates.io': 876, Maven: 257 });
  });

  it('answers lookups by ecosystem and normalised name', () => {
    const db = openVulnDb(dataDir) as VulnDb;
    try {
      expect(db.lookup('npm', 'lodash').map((r) => r.id)).toContain('GHSA-35jh-r3h4-6jhm');
      // PEP 503: the store keys PyPI names normalised.
      expect(db.lookup('PyPI', 'jw-util').map((r) => r.id)).toContain('PYSEC-2020-341'); // filed as jw.util
      expect(db.lookup('Debian:11', 'xorg-server').map((r) => r.id)).toContain('DSA-5380-1');
      expect(db.lookup('Alpine:v3.10', 'ansible').map((r) => r.id)).toContain('ALPINE-CVE-2019-10206');
    } finally {
      db.close();
    }
  });

  it('re-importing a source replaces its records instead of adding them again', async () => {
    const before = vulnDbStatus(dataDir)?.records;
    await importPath(dataDir, fixture('osv-ghsa-npm-sample.jsonl.gz'));
    expect(vulnDbStatus(dataDir)?.records).toBe(before);
  });
});

describe('other layouts', () => {
  it('imports a folder of loose OSV .json files (an unzipped all.zip) as one source, arrays included', async () => {
    const folder = join(scratch, 'unzipped');
    await mkdir(join(folder, 'nested'), { recursive: true });
    const record = (id: string) => ({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'crates.io', name: `crate-${id}` } }] });
    await writeFile(join(folder, 'A-1.json'), JSON.stringify(record('A-1')));
    await writeFile(join(folder, 'nested', 'A-2.json'), JSON.stringify(record('A-2')));
    await writeFile(join(folder, 'nested', 'list.json'), JSON.stringify([record('A-3'), record('A-4')]));
    const result = await importPath(dataDir, folder);
    // One source per folder: `nested/` (two files, three records), then the top folder.
    expect(result.sources.map((s) => [s.source.replace(scratch, ''), s.records])).toEqual([
      ['folder:/unzipped/nested', 3],
      ['folder:/unzipped', 1],
    ]);
    const db = openVulnDb(dataDir) as VulnDb;
    try {
      expect(['A-1', 'A-2', 'A-3', 'A-4'].map((id) => db.lookup('crates.io', `crate-${id}`).map((r) => r.id))).toEqual([['A-1'], ['A-2'], ['A-3'], ['A-4']]);
    } finally {
      db.close();
    }
  });

  it('keys Red Hat streams and SUSE products by release; a database of an older schema is refused with what to do, then rebuilt by the next import', async () => {
    const own = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-schema-'));
    try {
      const folder = join(own, 'rpm');
      await mkdir(folder);
      const entry = (ecosystem: string) => ({ package: { ecosystem, name: 'openssl-libs' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-27.el9' }] }] });
      await writeFile(join(folder, 'RHSA.json'), JSON.stringify({ id: 'RHSA-2024:0001', modified: '2024-01-01T00:00:00Z', affected: [entry('Red Hat:enterprise_linux:9::baseos'), entry('Red Hat:enterprise_linux:9::appstream')] }));
      await writeFile(join(folder, 'SUSE.json'), JSON.stringify({ id: 'SUSE-SU-2024:0001-1', modified: '2024-01-01T00:00:00Z', affected: [entry('SUSE:Linux Enterprise Server 15 SP5')] }));
      await importPath(own, folder);
      let db = openVulnDb(own) as VulnDb;
      expect([db.lookup('Red Hat:9', 'openssl-libs'), db.lookup('SUSE:15.5', 'openssl-libs')].map((rs) => rs.map((r) => r.id))).toEqual([['RHSA-2024:0001'], ['SUSE-SU-2024:0001-1']]);
      db.close();

      // A file written by schema 1 (before the release keys): refused, not misread.
      const Database = (await import('better-sqlite3')).default;
      const old = new Database(vulnDbPath(own));
      old.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
      old.close();
      expect(() => openVulnDb(own)).toThrow(/has schema 1, this Shipshape needs \d+: run 'shipshape db update' or 'db import'/);
      await importPath(own, folder);
      db = openVulnDb(own) as VulnDb;
      expect(db.status().schemaVersion).toBe(SCHEMA_VERSION);
      expect(db.lookup('Red Hat:9', 'openssl-libs').map((r) => r.id)).toEqual(['RHSA-2024:0001']);
      db.close();
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});

describe('bad input', () => {
  it('skips records that violate the schema, with a count and reasons, and keeps the rest', async () => {
    const good = (id: string) => JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }] });
    const lines = [
      good('TEST-1'),
      '{"id": "TEST-broken", ',
      JSON.stringify({ modified: '2024-01-01T00:00:00Z' }),
      JSON.stringify({ id: 'TEST-3', modified: '2024-01-01T00:00:00Z', affected: 'npm' }),
      JSON.stringify({ id: 'TEST-4', modified: '2024-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 0 }] }] }] }),
      '[1, 2]',
      good('TEST-2'),
    ];
    const file = join(scratch, 'mixed.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const result = await importPath(dataDir, file);
    expect(result.records).toBe(2);
    expect(result.skipped).toBe(5);
    expect(result.sources[0]?.problems).toEqual([
      expect.stringMatching(/mixed\.jsonl:2: invalid JSON/),
      expect.stringMatching(/mixed\.jsonl:3: missing id/),
      expect.stringMatching(/mixed\.jsonl:4: affected must be an array/),
      expect.stringMatching(/mixed\.jsonl:5: bad event introduced/),
      expect.stringMatching(/mixed\.jsonl:6: not a JSON object/),
    ]);
  });

  it('refuses a path that holds no advisory data, leaving the database as it was', async () => {
    const before = vulnDbStatus(dataDir)?.records;
    const file = join(scratch, 'notes.txt');
    await writeFile(file, 'hello\n');
    await expect(importPath(dataDir, file)).rejects.toThrow(/not an OSV zip/);
    await expect(importPath(dataDir, join(scratch, 'missing.zip'))).rejects.toThrow(/ENOENT/);
    expect(vulnDbStatus(dataDir)?.records).toBe(before);
  });

  it('rolls back a corrupt zip and keeps the served database', async () => {
    const before = vulnDbStatus(dataDir)?.records;
    const file = join(scratch, 'broken.zip');
    await writeFile(file, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
    await expect(importPath(dataDir, file)).rejects.toThrow(/not a readable zip|corrupt/);
    expect(vulnDbStatus(dataDir)?.records).toBe(before);
  });
});
