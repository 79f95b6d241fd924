import { describe, expect, it } from 'vitest';
import { compareVersions } from './index.ts';
import { failures, readTsv } from './testdata.ts';

const cmp = (a: string, b: string) => compareVersions('Maven', a, b);

describe('Maven version order', () => {
  // maven.tsv: Maven's own ComparableVersionTest (ordered qualifier/number arrays and equalities).
  it('agrees with every vector from Maven ComparableVersionTest', () => {
    expect(failures(readTsv('maven.tsv'), cmp)).toEqual([]);
  });
  // OSV-Scanner's hand-written Maven cases.
  it('agrees with osv-scalibr maven-versions.tsv', () => {
    expect(failures(readTsv('osv-scalibr/maven-versions.tsv'), cmp)).toEqual([]);
  });
  // Chains of real Maven versions from OSV advisories, ordered by an older Maven (3.8)
  // ComparableVersion. Maven 3.9+/4 (maven.tsv: `2.0.a < 2-1`) changed how a trailing `.X`
  // qualifier sorts; the one chain link where the two Mavens disagree with our reading of
  // that change is listed here on purpose, so any other disagreement fails.
  it('agrees with osv-scalibr maven-versions-generated.tsv chains (one documented Maven 3.8/4 conflict)', () => {
    const vectors = readTsv('osv-scalibr/maven-versions-generated.tsv');
    expect(vectors.length).toBeGreaterThan(11_000);
    expect(failures(vectors, cmp)).toEqual(['line 10012: 2.1.0.beta2 < 2.1.0.RC (got 1, reverse -1)']);
  });
  it('orders huge numbers exactly and never throws', () => {
    expect(cmp('1.99999999999999999999999', '1.99999999999999999999998')).toBeGreaterThan(0);
    expect(() => cmp('', '-.-..--x')).not.toThrow();
  });
});
