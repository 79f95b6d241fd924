import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { nameVersions, packagesOf, readTrivyCases, runAnalyzer, trivyNameVersions, type TrivyExpectedPackage } from '../testing.ts';
import { npmLockfileAnalyzer } from './lockfiles.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';

const fixture = (parser: string, file: string) => readFileSync(new URL(`./testdata/${parser}/${file.replace(/^testdata\//, '')}`, import.meta.url));

// Where we differ from trivy's parser output, on purpose:
// - dev-only packages (trivy: Dev=true) are left out: a production install does not have them,
//   and when they are installed the node_modules inventory reports them from the files;
// - workspace folders and local directories are the project's own code, not registry packages.
const notDev = (p: TrivyExpectedPackage) => p.Dev !== true;
const LOCAL_CODE: Record<string, string[]> = {
  'lock version v3 with workspace and without direct deps field': ['func1'],
  archives: ['package1'],
  v9: ['package1'],
};

describe.each([
  ['npm', parsePackageLock],
  ['yarn', parseYarnLock],
  ['pnpm', parsePnpmLock],
] as const)('%s lockfiles (trivy fixtures)', (parser, parse) => {
  const cases = readTrivyCases(new URL(`./testdata/${parser}/expected.json`, import.meta.url));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const local = LOCAL_CODE[testCase.name] ?? [];
    const expected = trivyNameVersions(testCase.packages ?? [], (p) => notDev(p) && !local.includes(p.Name));
    expect(nameVersions(parse(fixture(parser, testCase.file)))).toEqual(expected);
  });
});

describe('npm lockfile analyzer', () => {
  it('reads application lockfiles with purls and the path they came from', async () => {
    const findings = await runAnalyzer(npmLockfileAnalyzer, '/app/package-lock.json', fixture('npm', 'package-lock_v3_with_peer.json'));
    const lodash = packagesOf(findings).find((p) => p.name === 'lodash');
    expect(lodash).toMatchObject({ ecosystem: 'npm', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21', paths: ['/app/package-lock.json'] });
    expect(findings.every((f) => f.path === '/app/package-lock.json')).toBe(true);
  });

  it('scoped names become a purl namespace', () => {
    const pkg = parsePackageLock(fixture('npm', 'package-lock_v3.json')).find((p) => p.name === '@babel/helper-string-parser');
    expect(pkg?.purl).toBe('pkg:npm/%40babel/helper-string-parser@7.19.4');
  });

  it('ignores lockfiles inside node_modules (npm\'s hidden lockfile, packages\' own)', async () => {
    const lock = fixture('npm', 'package-lock_v3.json');
    expect(await runAnalyzer(npmLockfileAnalyzer, '/app/node_modules/.package-lock.json', lock)).toEqual([]);
    expect(await runAnalyzer(npmLockfileAnalyzer, '/app/node_modules/foo/package-lock.json', lock)).toEqual([]);
  });

  it('turns a corrupt lockfile into a note, not a crash', async () => {
    const notes: string[] = [];
    expect(await runAnalyzer(npmLockfileAnalyzer, '/app/package-lock.json', Buffer.from('{"packages": '), 0o644, notes)).toEqual([]);
    expect(await runAnalyzer(npmLockfileAnalyzer, '/app/pnpm-lock.yaml', Buffer.from('packages: [\n  {'), 0o644, notes)).toEqual([]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('/app/package-lock.json');
  });

  it('reads v1 aliases as the real package', () => {
    const lock = Buffer.from(JSON.stringify({ lockfileVersion: 1, dependencies: { 'my-lodash': { version: 'npm:lodash@4.17.21' }, git: { version: 'git+https://x/y.git#abc' } } }));
    expect(nameVersions(parsePackageLock(lock))).toEqual(['lodash@4.17.21']);
  });
});
