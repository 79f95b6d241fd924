import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { nameVersions, packagesOf, readTrivyCases, runAnalyzer } from '../testing.ts';
import { normalizePypiName } from '../purl.ts';
import { isPythonMetadataFile, parsePythonMetadata, pythonInstalledAnalyzer } from './installed.ts';

const fixture = (file: string) => readFileSync(new URL(`./testdata/${file.replace(/^testdata\//, '')}`, import.meta.url));

describe('Python distributions (trivy fixtures)', () => {
  const cases = readTrivyCases(new URL('./testdata/expected.json', import.meta.url));
  it.each(cases.map((c) => [`${c.name}: ${c.file}`, c] as const))('%s', (_name, testCase) => {
    // We report the PEP 503 name (trivy keeps the declared spelling, e.g. `Unidecode`).
    const expected = nameVersions((testCase.packages ?? []).map((p) => ({ name: normalizePypiName(p.Name), version: p.Version })));
    expect(nameVersions(parsePythonMetadata(fixture(testCase.file)))).toEqual(expected);
  });

  it('licences: SPDX expression first, then classifiers, then the free-text field', () => {
    expect(parsePythonMetadata(fixture('iniconfig-2.0.0.METADATA'))[0]?.metadata?.licenses).toEqual(['MIT']);
    expect(parsePythonMetadata(fixture('pyphen-0.14.0.METADATA'))[0]?.metadata?.licenses).toHaveLength(3);
    expect(parsePythonMetadata(fixture('networkx-3.0.METADATA'))[0]?.metadata?.licenses).toEqual(['file://LICENSE.txt']);
  });
});

describe('python analyzer', () => {
  it.each([
    ['/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA', true],
    ['/usr/local/lib/python3.11/site-packages/setuptools-65.5.0.egg-info/PKG-INFO', true],
    ['/usr/lib/python3/dist-packages/distro_info-1.5.egg-info', true],
    ['/opt/x/foo-1.0-py3.8.egg/EGG-INFO/PKG-INFO', true],
    ['/app/METADATA', false],
    ['/app/PKG-INFO', false],
    ['/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/RECORD', false],
  ])('%s → %s', (path, wanted) => {
    expect(isPythonMetadataFile(path)).toBe(wanted);
  });

  it('normalises names per PEP 503 and builds the purl from the normal form', async () => {
    const path = '/usr/lib/python3/dist-packages/Zope.Interface-5.5.2.dist-info/METADATA';
    const content = Buffer.from('Metadata-Version: 2.1\nName: Zope.Interface\nVersion: 5.5.2\n\nbody: ignored\n');
    const [pkg] = packagesOf(await runAnalyzer(pythonInstalledAnalyzer, path, content));
    expect(pkg).toMatchObject({ ecosystem: 'PyPI', name: 'zope-interface', version: '5.5.2', purl: 'pkg:pypi/zope-interface@5.5.2', paths: [path] });
    expect(pkg?.metadata).toEqual({ declaredName: 'Zope.Interface' });
  });

  it('notes a metadata file without a version', async () => {
    const notes: string[] = [];
    const path = '/x/foo-1.dist-info/METADATA';
    expect(await runAnalyzer(pythonInstalledAnalyzer, path, Buffer.from('Name: foo\n'), 0o644, notes)).toEqual([]);
    expect(notes[0]).toContain(path);
  });
});
