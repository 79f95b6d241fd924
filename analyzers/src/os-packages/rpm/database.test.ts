import { describe, expect, it } from 'vitest';
import { readRpmDatabase } from './database.ts';
import { asRpmQaLine, fixture, readRpmQa, sortLines, TESTDATA } from './testdata.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('rpm databases', () => {
  // cbl-mariner-2.0: SQLite rpmdb from go-rpmdb; expected list from real `rpm -qa` (rpm 4.18).
  it('reads the SQLite database (CBL-Mariner 2.0) exactly as rpm -qa', () => {
    const db = readRpmDatabase(fixture('cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite'));
    expect(db.format).toBe('sqlite');
    expect(db.problems).toEqual([]);
    expect(sortLines(db.packages.map(asRpmQaLine))).toEqual(sortLines(readRpmQa('cbl-mariner-2.0/expected.rpm-qa.tsv')));
  });

  it('leaves the file content as it found it (the WAL flag is lifted only while opening)', () => {
    const content = fixture('cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite');
    const before = Buffer.from(content);
    expect(content[18]).toBe(2);
    readRpmDatabase(content);
    expect(content.equals(before)).toBe(true);
  });

  // rhel8-libuuid (go-rpmdb) and syft-dive (syft): Berkeley DB hash; expected from rpm -qa (bdb_ro).
  for (const name of ['rhel8-libuuid', 'syft-dive']) {
    it(`reads the Berkeley DB database (${name}) exactly as rpm -qa`, () => {
      const db = readRpmDatabase(fixture(`${name}/var/lib/rpm/Packages`));
      expect(db.format).toBe('bdb');
      expect(db.problems).toEqual([]);
      expect(sortLines(db.packages.map(asRpmQaLine))).toEqual(sortLines(readRpmQa(`${name}/expected.rpm-qa.tsv`)));
    });
  }

  // sle15-bci: NDB database from go-rpmdb; expected list is go-rpmdb's own test case.
  it('reads the NDB database (SLE 15 BCI) as go-rpmdb expects', () => {
    const db = readRpmDatabase(fixture('sle15-bci/var/lib/rpm/Packages.db'));
    expect(db.format).toBe('ndb');
    expect(db.problems).toEqual([]);
    const expected = JSON.parse(readFileSync(path.join(TESTDATA, 'sle15-bci/expected.go-rpmdb.json'), 'utf8')) as {
      packages: { epoch: number | null; name: string; version: string; release: string; arch: string; sourceRpm: string; size: number; license: string; vendor: string; summary: string }[];
    };
    expect(db.packages.map((p) => ({ epoch: p.epoch, name: p.name, version: p.version, release: p.release, arch: p.arch, sourceRpm: p.sourceRpm, size: p.size, license: p.license, vendor: p.vendor, summary: p.summary }))).toEqual(
      expected.packages.map(({ epoch, name, version, release, arch, sourceRpm, size, license, vendor, summary }) => ({ epoch, name, version, release, arch, sourceRpm, size, license, vendor, summary })),
    );
  });

  it('reports a file that is no rpm database instead of throwing', () => {
    const db = readRpmDatabase(Buffer.from('hello, not a database'));
    expect(db.format).toBeNull();
    expect(db.packages).toEqual([]);
    expect(db.problems[0]).toMatch(/not an rpm database/);
  });

  it('survives truncation and random corruption of every format (notes, never throws)', () => {
    const files = ['cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite', 'rhel8-libuuid/var/lib/rpm/Packages', 'syft-dive/var/lib/rpm/Packages', 'sle15-bci/var/lib/rpm/Packages.db'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const file of files) {
      const original = fixture(file);
      for (const cut of [8, 100, 4096, Math.floor(original.length / 2), original.length - 1]) {
        expect(() => readRpmDatabase(original.subarray(0, cut))).not.toThrow();
      }
      for (let round = 0; round < 20; round++) {
        const damaged = Buffer.from(original);
        for (let k = 0; k < 64; k++) damaged[random(damaged.length)] = random(256);
        const db = readRpmDatabase(damaged);
        expect(Array.isArray(db.packages)).toBe(true);
      }
    }
  });

  it('reports a corrupt header blob and keeps the other packages', () => {
    const original = fixture('sle15-bci/var/lib/rpm/Packages.db');
    const clean = readRpmDatabase(original);
    // Break the first package's header: an index count of 0 is impossible.
    const damaged = Buffer.from(original);
    const firstSlot = 32;
    const blobStart = damaged.readUInt32LE(firstSlot + 8) * 16 + 16;
    damaged.writeUInt32BE(0, blobStart);
    const db = readRpmDatabase(damaged);
    expect(db.packages).toHaveLength(clean.packages.length - 1);
    expect(db.problems).toHaveLength(1);
    expect(db.problems[0]).toMatch(/implausible index entry count/);
  });
});
