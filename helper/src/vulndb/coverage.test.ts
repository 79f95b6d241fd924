import { describe, expect, it } from 'vitest';
import { coverageGap, ecosystemKey, isCoverageGap } from './coverage.ts';

const pkgs = (...ecosystems: string[]) => ecosystems.map((ecosystem) => ({ ecosystem }));

describe('vulnerability data coverage', () => {
  it('names the ecosystems the data holds nothing for, with their package counts, most packages first', () => {
    const gap = coverageGap(pkgs('Debian:12', 'Debian:12', 'npm', 'RubyGems', 'Ubuntu:22.04:LTS', 'Debian:12'), new Set(['npm']));
    expect(gap).toMatch(/^no vulnerability data for Debian \(3 packages\), RubyGems \(1 package\), Ubuntu \(1 package\): those packages were not checked/);
    expect(isCoverageGap(gap!)).toBe(true);
  });

  it('says nothing when every ecosystem is covered, releases and case of the names aside', () => {
    expect(coverageGap(pkgs('Debian:12', 'Ubuntu:24.04', 'npm'), new Set([ecosystemKey('Debian'), ecosystemKey('Ubuntu'), 'npm']))).toBeNull();
    expect(coverageGap([], new Set())).toBeNull();
  });

  it('an image with packages and no data at all: every ecosystem is named', () => {
    expect(coverageGap(pkgs('Alpine:v3.19', 'PyPI'), new Set())).toMatch(/^no vulnerability data for Alpine \(1 package\), PyPI \(1 package\)/);
  });
});
