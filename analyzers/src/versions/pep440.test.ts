import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './index.ts';
import { failures, readJson, readTsv } from './testdata.ts';

const cmp = (a: string, b: string) => compareVersions('PyPI', a, b);

interface VersionTests {
  ordered_lists: { VERSIONS: string[] };
  parametrize: Record<string, { argnames: string[] | string; cases: unknown[] }>;
}

describe('PyPI (PEP 440) version order', () => {
  // pep440/test_version.json: pypa/packaging tests/test_version.py tables.
  const data = readJson<VersionTests>('pep440/test_version.json');
  it('orders packaging VERSIONS ascending (every pair)', () => {
    const list = data.ordered_lists.VERSIONS;
    const bad: string[] = [];
    for (let i = 0; i < list.length; i++)
      for (let j = 0; j < list.length; j++) {
        const c = Math.sign(cmp(list[i]!, list[j]!));
        if (c !== Math.sign(i - j)) bad.push(`${list[i]} vs ${list[j]}: ${c}`);
      }
    expect(bad).toEqual([]);
  });
  it('agrees with packaging valid/invalid tables', () => {
    for (const v of data.parametrize.test_valid_versions!.cases as string[]) expect(isValidVersion('PyPI', v), v).toBe(true);
    for (const v of data.parametrize.test_invalid_versions!.cases as string[]) expect(isValidVersion('PyPI', v), v).toBe(false);
  });
  it('treats a version and its normalized form as equal (test_normalized_versions)', () => {
    const bad = (data.parametrize.test_normalized_versions!.cases as [string, string][]).filter(([v, n]) => cmp(v, n) !== 0);
    expect(bad).toEqual([]);
  });
  // OSV-Scanner's hand-written PyPI cases (incl. legacy non-PEP 440 versions).
  it('agrees with osv-scalibr pypi-versions.tsv', () => {
    expect(failures(readTsv('osv-scalibr/pypi-versions.tsv'), cmp)).toEqual([]);
  });
  // Chains of real PyPI versions from OSV advisories, ordered by packaging.
  it('agrees with osv-scalibr pypi-versions-generated.tsv chains', () => {
    expect(failures(readTsv('osv-scalibr/pypi-versions-generated.tsv'), cmp)).toEqual([]);
  });
});
