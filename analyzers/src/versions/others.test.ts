import { describe, expect, it } from 'vitest';
import { compareVersions, hasVersionOrder, isValidVersion, UnknownEcosystemError } from './index.ts';
import { failures, readTsv } from './testdata.ts';

// OSV-Scanner's (osv-scalibr) vectors: <eco>-versions.tsv hand-written edge cases and
// <eco>-versions-generated.tsv chains of real versions ordered by the ecosystem's native tool.
const FILES: [string, string[]][] = [
  ['RubyGems', ['rubygems-versions.tsv', 'rubygems-versions-generated.tsv']],
  ['Packagist', ['packagist-versions.tsv', 'packagist-versions-generated.tsv']],
  ['NuGet', ['nuget-versions.tsv']],
  ['Pub', ['pub-versions.tsv']],
  ['CRAN', ['cran-versions.tsv', 'cran-versions-generated.tsv']],
  ['Hackage', ['hackage-versions.tsv']],
];

describe('other ecosystems', () => {
  for (const [eco, files] of FILES)
    for (const file of files)
      it(`${eco} agrees with osv-scalibr ${file}`, () => {
        expect(failures(readTsv(`osv-scalibr/${file}`), (a, b) => compareVersions(eco, a, b))).toEqual([]);
      });

  it('RubyGems validity is Gem::Version.correct?', () => {
    expect(isValidVersion('RubyGems', '1.2.3.pre1')).toBe(true);
    expect(isValidVersion('RubyGems', '1.2.3-1')).toBe(true);
    expect(isValidVersion('RubyGems', 'junk')).toBe(false);
  });
  it('NuGet validity', () => {
    expect(isValidVersion('NuGet', '1.2.3.4-beta.1+sha')).toBe(true);
    expect(isValidVersion('NuGet', '1.2.3.4.5')).toBe(false);
  });
  it('unknown ecosystems are an explicit error, not a guess', () => {
    expect(hasVersionOrder('Debian:12')).toBe(true);
    expect(hasVersionOrder('Nope')).toBe(false);
    expect(() => compareVersions('Nope', '1', '2')).toThrow(UnknownEcosystemError);
  });
});
