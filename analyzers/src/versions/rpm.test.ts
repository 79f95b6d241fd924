import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './index.ts';
import { rpmvercmp } from './rpm.ts';
import { failures, readTsv } from './testdata.ts';

describe('rpm version order', () => {
  // rpm.tsv: rpm's own tests/rpmvercmp.at (bare rpmvercmp, no epoch/release split), incl. ~ and ^.
  it('rpmvercmp agrees with every vector from rpm', () => {
    expect(failures(readTsv('rpm.tsv'), rpmvercmp)).toEqual([]);
  });
  // OSV-Scanner's Red Hat edge cases: epoch:version-release, odd separators, non-ASCII, modules.
  for (const eco of ['Red Hat', 'Rocky Linux', 'AlmaLinux', 'SUSE', 'openSUSE']) {
    it(`agrees with osv-scalibr redhat-versions.tsv as ${eco}`, () => {
      expect(failures(readTsv('osv-scalibr/redhat-versions.tsv'), (a, b) => compareVersions(eco, a, b))).toEqual([]);
    });
  }
  it('compares epoch, then version, then release', () => {
    expect(compareVersions('Red Hat', '1:1.0-1.el8', '2.0-1.el8')).toBeGreaterThan(0);
    expect(compareVersions('Red Hat', '0:1.0-1.el8', '1.0-1.el8')).toBe(0);
    expect(compareVersions('Red Hat:8', '1.0-2.el8', '1.0-10.el8')).toBeLessThan(0);
  });
  it('validity', () => {
    expect(isValidVersion('Red Hat', '1:2.3-4.el9')).toBe(true);
    expect(isValidVersion('Red Hat', '')).toBe(false);
    expect(isValidVersion('Red Hat', '1.0 beta')).toBe(false);
  });
});
