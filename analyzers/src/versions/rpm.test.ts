import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './index.ts';
import { parseRpmVersion, rpmvercmp } from './rpm.ts';
import { failures, readTsv } from './testdata.ts';

describe('rpm version order', () => {
  // rpm.tsv: rpm's own tests/rpmvercmp.at (bare rpmvercmp, no epoch/release split), incl. ~ and ^.
  it('rpmvercmp agrees with every vector from rpm', () => {
    expect(failures(readTsv('rpm.tsv'), rpmvercmp)).toEqual([]);
  });
  // rpm's test runs each pair through `rpm.vercmp`, i.e. rpmverParse + rpmverCmp: the same
  // vectors must hold for whole EVR strings, not only for the bare segment comparison.
  it('the full epoch:version-release order agrees with every vector from rpm', () => {
    expect(failures(readTsv('rpm.tsv'), (a, b) => compareVersions('Red Hat', a, b))).toEqual([]);
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
  // rpm's parseEVR (rpmio/rpmver.c): the epoch is the leading digits when ':' follows them, the
  // release what follows the LAST '-'. Every expectation here is also what rpm 4.18's own
  // `rpm.ver` / `rpm.vercmp` answer (the first ones are rpm's tests/rpmmacro.at and rpmpython.at).
  it('splits [E:]V-R exactly as rpm does', () => {
    const evr = (s: string) => {
      const { epoch, version, release } = parseRpmVersion(s);
      return [epoch, version, release];
    };
    expect(evr('1:4.16-5')).toEqual(['1', '4.16', '5']);
    expect(evr('4.16-1')).toEqual(['0', '4.16', '1']);
    expect(evr('4.16')).toEqual(['0', '4.16', null]);
    expect(evr('7.3-16p1-1')).toEqual(['0', '7.3-16p1', '1']);
    expect(evr('1:2-3-4')).toEqual(['1', '2-3', '4']);
    expect(evr(':2-3')).toEqual(['0', '2', '3']);
    expect(evr('a:1.0')).toEqual(['0', 'a:1.0', null]);
    expect(evr(' 1:2')).toEqual(['0', ' 1:2', null]);
    expect(evr('1.0\0-5')).toEqual(['0', '1.0', null]);
  });
  it('orders whole EVRs as rpm.vercmp does', () => {
    const cmp = (a: string, b: string) => Math.sign(compareVersions('Red Hat', a, b));
    expect(cmp('1:4.16-5', '4.4-1')).toBe(1);
    expect([cmp('1.0', '4:1.0'), cmp('4:1.0', '1.5-1'), cmp('1.5-1', '3:2.0-1')]).toEqual([-1, 1, -1]);
    // The release starts after the last '-': 16p1 against 16 in the version, not "16p1-1" against "16-1".
    expect(cmp('7.3-16p1-1', '7.3-16-1')).toBe(1);
    expect(cmp('7.3-16-2', '7.3-16p1-1')).toBe(-1);
    expect(cmp('1.0-', '1.0')).toBe(1);
    expect(cmp('0:1.0', '1.0')).toBe(0);
    expect(cmp(' 1:2', '1:2')).toBe(-1);
    expect(cmp('1.0\0-5', '1.0')).toBe(0);
    expect(cmp('1.0-1~rc1', '1.0-1')).toBe(-1);
  });
  it('validity', () => {
    expect(isValidVersion('Red Hat', '1:2.3-4.el9')).toBe(true);
    expect(isValidVersion('Red Hat', '')).toBe(false);
    expect(isValidVersion('Red Hat', '1.0 beta')).toBe(false);
  });
});
