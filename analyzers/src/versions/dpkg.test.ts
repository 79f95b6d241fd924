import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './index.ts';
import { failures, readTsv } from './testdata.ts';

const cmp = (a: string, b: string) => compareVersions('Debian', a, b);

describe('dpkg version order', () => {
  // dpkg.tsv: dpkg's own tests (scripts/t/Dpkg_Version.t and lib/dpkg/t/t-version.c), with <= >= != and negations.
  it('agrees with every vector from dpkg', () => {
    expect(failures(readTsv('dpkg.tsv'), cmp)).toEqual([]);
  });
  // OSV-Scanner's hand-written Debian edge cases.
  it('agrees with osv-scalibr debian-versions.tsv', () => {
    expect(failures(readTsv('osv-scalibr/debian-versions.tsv'), cmp)).toEqual([]);
  });
  // Chains of real Debian versions from OSV advisories, ordered by python-apt (dpkg's algorithm).
  it('agrees with osv-scalibr debian-versions-generated.tsv chains', () => {
    const vectors = readTsv('osv-scalibr/debian-versions-generated.tsv');
    expect(vectors.length).toBeGreaterThan(10_000);
    expect(failures(vectors, cmp)).toEqual([]);
  });
  it('accepts release suffixes and Ubuntu', () => {
    expect(compareVersions('Debian:12', '1.0-1', '1.0-1+deb12u1')).toBeLessThan(0);
    expect(compareVersions('Ubuntu:22.04:LTS', '1:1.0', '2.0')).toBeGreaterThan(0);
  });
  it('reports validity the way dpkg parses versions, and still orders invalid ones', () => {
    expect(isValidVersion('Debian', '1:2.3-4')).toBe(true);
    expect(isValidVersion('Debian', 'a1.0')).toBe(false);
    expect(isValidVersion('Debian', 'x:1.0')).toBe(false);
    expect(isValidVersion('Debian', '1.0-')).toBe(false);
    expect(isValidVersion('Debian', '')).toBe(false);
    expect(() => cmp('garbage ver', '1.0')).not.toThrow();
  });
});
