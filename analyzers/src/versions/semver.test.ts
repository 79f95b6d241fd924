import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, satisfiesRange } from './index.ts';
import { failures, readJson, readTsv } from './testdata.ts';

interface Fixture<T> {
  cases: T[];
}

describe('SemVer order (npm, crates.io, Go, SEMVER)', () => {
  // node-semver comparisons.json: [v1, v2, options?], v1 is greater than v2.
  it('agrees with node-semver comparisons fixture', () => {
    const bad = readJson<Fixture<[string, string, unknown?]>>('node-semver/comparisons.json').cases.filter(
      ([a, b]) => !(compareVersions('npm', a, b) > 0 && compareVersions('npm', b, a) < 0),
    );
    expect(bad).toEqual([]);
  });
  // node-semver equality.json: [v1, v2, options?], equivalent versions (loose forms, build metadata).
  it('agrees with node-semver equality fixture', () => {
    const bad = readJson<Fixture<[string, string, unknown?]>>('node-semver/equality.json').cases.filter(
      ([a, b]) => compareVersions('npm', a, b) !== 0,
    );
    expect(bad).toEqual([]);
  });
  // node-semver valid-versions.json / invalid-versions.json: [version, ...] strict validity.
  it('agrees with node-semver valid and invalid version fixtures', () => {
    for (const [v] of readJson<Fixture<[string]>>('node-semver/valid-versions.json').cases) expect(isValidVersion('crates.io', v), v).toBe(true);
    for (const [v] of readJson<Fixture<[unknown]>>('node-semver/invalid-versions.json').cases) {
      if (typeof v === 'string') expect(isValidVersion('crates.io', v), v).toBe(false);
    }
  });
  // node-semver range-include.json / range-exclude.json: [range, version, options?]. Our npm
  // ranges are always loose and never include prereleases by option, so the cases that set
  // includePrerelease are left out.
  for (const [file, expected] of [['range-include', true], ['range-exclude', false]] as const) {
    it(`satisfiesRange agrees with node-semver ${file} fixture`, () => {
      const cases = readJson<Fixture<[string, string, unknown?]>>(`node-semver/${file}.json`).cases.filter(
        ([, , o]) => !(typeof o === 'object' && o !== null && 'includePrerelease' in o),
      );
      expect(cases.length).toBeGreaterThan(50);
      expect(cases.filter(([range, version]) => satisfiesRange('npm', version, range) !== expected)).toEqual([]);
    });
  }
  // OSV-Scanner's hand-written SemVer cases (v prefixes, huge numbers, odd prereleases).
  for (const eco of ['npm', 'crates.io', 'Go', 'SEMVER']) {
    it(`agrees with osv-scalibr semver-versions.tsv as ${eco}`, () => {
      expect(failures(readTsv('osv-scalibr/semver-versions.tsv'), (a, b) => compareVersions(eco, a, b))).toEqual([]);
    });
  }
  it('reads Go versions: v prefix, +incompatible, pseudo-versions, go toolchain', () => {
    expect(compareVersions('Go', 'v2.0.0+incompatible', 'v2.0.0')).toBe(0);
    expect(compareVersions('Go', 'v0.0.0-20210101000000-abcdefabcdef', 'v0.0.1')).toBeLessThan(0);
    expect(compareVersions('Go', 'go1.21.3', '1.21.10')).toBeLessThan(0);
    expect(compareVersions('Go', '1.21', '1.21.1')).toBeLessThan(0);
  });
});
