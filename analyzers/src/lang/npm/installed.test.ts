import { describe, expect, it } from 'vitest';
import { packagesOf, runAnalyzer } from '../testing.ts';
import { isInstalledPackageManifest, npmInstalledAnalyzer } from './installed.ts';

const manifest = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('installed npm packages (node_modules/**/package.json)', () => {
  it.each([
    '/app/node_modules/lodash/package.json',
    '/app/node_modules/@babel/core/package.json',
    '/app/node_modules/a/node_modules/b/package.json',
    '/app/node_modules/a/node_modules/@s/b/package.json',
    '/usr/lib/node_modules/npm/package.json',
    '/usr/local/lib/node_modules/npm/node_modules/semver/package.json',
    '/app/node_modules/.pnpm/debug@4.3.4/node_modules/debug/package.json',
  ])('takes the package root manifest %s', (path) => {
    expect(isInstalledPackageManifest(path)).toBe(true);
  });

  it.each([
    '/app/package.json', // the application itself: npm ls reports it as the root, not a dependency
    '/app/node_modules/resolve/test/resolver/baz/package.json', // a package's test fixture
    '/app/node_modules/@babel/package.json',
    '/app/node_modules/.bin/package.json',
    '/app/node_modules/.package-lock.json',
    '/app/node_modules/lodash/fp/package.json', // sub-path stub inside a package
    '/usr/local/share/.cache/yarn/v6/npm-lodash-4.17.21-679591c5-integrity/node_modules/lodash/package.json', // yarn's download cache
  ])('ignores %s', (path) => {
    expect(isInstalledPackageManifest(path)).toBe(false);
  });

  it('reports name, version, purl, licence and path', async () => {
    const path = '/app/node_modules/@types/node/package.json';
    const findings = await runAnalyzer(npmInstalledAnalyzer, path, manifest({ name: '@types/node', version: '20.1.0', license: 'MIT' }));
    expect(packagesOf(findings)).toEqual([
      {
        ecosystem: 'npm',
        name: '@types/node',
        version: '20.1.0',
        sourceName: '@types/node',
        sourceVersion: '20.1.0',
        purl: 'pkg:npm/%40types/node@20.1.0',
        paths: [path],
        metadata: { licenses: ['MIT'] },
      },
    ]);
  });

  it('skips manifests without a name or version, and notes unreadable ones', async () => {
    const notes: string[] = [];
    const path = '/app/node_modules/x/package.json';
    expect(await runAnalyzer(npmInstalledAnalyzer, path, manifest({ name: 'x' }), 0o644, notes)).toEqual([]);
    expect(await runAnalyzer(npmInstalledAnalyzer, path, Buffer.from('{ not json'), 0o644, notes)).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(path);
  });
});
