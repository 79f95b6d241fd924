import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedBytes, parsedOrCleanError } from '../../testing/fuzz.ts';
import { readBerkeleyDbBlobs } from './bdb.ts';
import { readRpmDatabase, type RpmDbContents } from './database.ts';
import { installedRpmFromHeader, type InstalledRpm } from './installed-package.ts';

const testdata = join(import.meta.dirname, 'testdata');
const read = (path: string) => readFileSync(join(testdata, path));

function wellFormedPackage(p: InstalledRpm): void {
  expect(p.name).toMatch(/./);
  expect(typeof p.version).toBe('string');
  expect(typeof p.release).toBe('string');
  expect(p.epoch === null || Number.isFinite(p.epoch)).toBe(true);
}

function wellFormed(contents: RpmDbContents): void {
  expect([null, 'sqlite', 'bdb', 'ndb']).toContain(contents.format);
  for (const problem of contents.problems) expect(typeof problem).toBe('string');
  contents.packages.forEach(wellFormedPackage);
}

// Byte-level mutations of a whole database: page headers, hash buckets, overflow chains, NDB slots.
const databases = [
  { name: 'rpm Berkeley DB', seeds: [read('syft-dive/var/lib/rpm/Packages'), read('rhel8-libuuid/var/lib/rpm/Packages')], numRuns: 300, maxMutations: 8 },
  { name: 'rpm NDB', seeds: [read('sle15-bci/var/lib/rpm/Packages.db')], numRuns: 60, maxMutations: 8 },
  // SQLite copies the whole 3.6 MB file per case: fewer runs.
  { name: 'rpm SQLite', seeds: [read('cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite')], numRuns: 40, maxMutations: 8 },
];

describe('readRpmDatabase under mutated databases', () => {
  for (const db of databases) {
    it(`${db.name}: never throws, problems instead of crashes`, async () => {
      const cases = await fuzz(db.name, mutatedBytes(db.seeds, db.maxMutations), (buf) => wellFormed(readRpmDatabase(buf)), {
        numRuns: db.numRuns,
        caseTimeoutMs: 10_000,
      });
      expect(cases).toBe(db.numRuns);
    }, 120_000);
  }
});

describe('installedRpmFromHeader under mutated header blobs', () => {
  it('returns a well-formed package or throws a clean Error', async () => {
    const blobs = readBerkeleyDbBlobs(read('rhel8-libuuid/var/lib/rpm/Packages'), () => {}).concat(
      readBerkeleyDbBlobs(read('syft-dive/var/lib/rpm/Packages'), () => {}),
    );
    expect(blobs.length).toBeGreaterThan(0);
    const cases = await fuzz('rpm header', mutatedBytes(blobs, 8), (blob) => parsedOrCleanError(() => installedRpmFromHeader(blob), wellFormedPackage), {
      numRuns: 1000,
    });
    expect(cases).toBe(1000);
  });
});
