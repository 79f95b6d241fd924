/**
 * Fixtures (testdata/SOURCE.md): a real Debian 12 status file and trivy's Ubuntu 18.04 one,
 * each with the real `dpkg-query -W` output on that file; trivy's want-lists for its corrupt
 * and third-party cases; syft's distroless `status.d` files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDpkgStatus } from './status.ts';
import { dpkgAnalyzer } from './analyzer.ts';

const testdata = join(import.meta.dirname, 'testdata');
const read = (path: string) => readFileSync(join(testdata, path), 'utf8');

/** `Package Version Architecture Source Status` rows of the installed (`ii`) packages. */
function dpkgQueryRows(path: string) {
  return read(path)
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .filter((cols) => cols[4]?.trim() === 'ii')
    .map(([name, version, arch, source]) => {
      const m = /^(\S+)(?:\s+\((.+)\))?$/.exec(source ?? '');
      return { name, version, arch, sourceName: m?.[1] ?? name, sourceVersion: m?.[2] ?? version };
    });
}

describe('parseDpkgStatus agrees with dpkg-query', () => {
  for (const fixture of ['debian12-host', 'trivy-valid']) {
    it(fixture, () => {
      const expected = dpkgQueryRows(`${fixture}/expected.dpkg-query.tsv`);
      const { packages, rejected } = parseDpkgStatus(read(`${fixture}/var/lib/dpkg/status`));
      expect(rejected).toEqual([]);
      const actual = packages.map((p) => ({ name: p.name, version: p.version, arch: p.architecture, sourceName: p.sourceName, sourceVersion: p.sourceVersion }));
      expect(actual.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(expected.sort((a, b) => a.name!.localeCompare(b.name!)));
      expect(packages.length).toBe(fixture === 'debian12-host' ? 876 : 90);
    });
  }
});

describe('parseDpkgStatus agrees with trivy', () => {
  type TrivyPackage = { Name: string; Version: string; Release?: string; Epoch?: number; SrcName: string; SrcVersion: string; SrcRelease?: string; SrcEpoch?: number };
  const full = (epoch: number | undefined, version: string, release: string | undefined) => `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
  for (const fixture of ['trivy-corrupsed', 'trivy-third-party', 'trivy-only-apt']) {
    it(fixture, () => {
      const want = (JSON.parse(read(`${fixture}/expected.trivy.json`)) as { packages: TrivyPackage[] }).packages.map((p) => ({
        name: p.Name,
        version: full(p.Epoch, p.Version, p.Release),
        sourceName: p.SrcName,
        sourceVersion: full(p.SrcEpoch, p.SrcVersion, p.SrcRelease),
      }));
      const got = parseDpkgStatus(read(`${fixture}/var/lib/dpkg/status`)).packages.map((p) => ({ name: p.name, version: p.version, sourceName: p.sourceName, sourceVersion: p.sourceVersion }));
      expect(got.sort((a, b) => a.name.localeCompare(b.name))).toEqual(want.sort((a, b) => a.name.localeCompare(b.name)));
    });
  }
  it('drops malformed entries and says which', () => {
    expect(parseDpkgStatus(read('trivy-corrupsed/var/lib/dpkg/status')).rejected).toEqual(['brokenPackageWithNoVersionThatShouldGetThrownOut', 'invalidpkg']);
  });
});

describe('status.d (distroless)', () => {
  it('reads one file per package, with and without Status, and skips removed ones', () => {
    const parse = (f: string) => parseDpkgStatus(read(`syft-status.d/${f}`)).packages.map((p) => `${p.name}=${p.version} (${p.sourceName} ${p.sourceVersion})`);
    expect(parse('single')).toEqual(['apt=1.8.2 (apt-dev 1.8.2)']);
    expect(parse('multiple')).toEqual(['tzdata=2020a-0+deb10u1 (tzdata-dev 2020a-0+deb10u1)', 'util-linux=2.33.1-0.1 (util-linux 2.33.1-0.1)']);
    expect(parse('deinstall')).toEqual(['linux-image-6.14.0-1012-aws=6.14.0-1012.12~24.04.1 (linux-signed-aws-6.14 6.14.0-1012.12~24.04.1)']);
    expect(parse('corrupt')).toEqual([]);
    expect(parse('coreutils-relationships')).toContain('libselinux1=3.4-1+b6 (libselinux 3.4-1)');
    expect(parse('doc-examples')).toEqual([
      'mutt=1.3.17-1 (mutt 1.3.17-1)',
      'made-up-package-1=1.0.0 (glibc 1.0.0)',
      'made-up-package-2=2.0.0 (made-up-package-2 2.0.0)',
      'made-up-package-3=3.0.0 (made-up-package-3 3.0.0)',
      'made-up-package-4=3.0.0 (made-up-package-4 3.0.0)',
    ]);
  });

  it('the analyzer wants status.d control files, not their md5sums', () => {
    const dir = join(testdata, 'syft-distroless/var/lib/dpkg/status.d');
    const wanted = readdirSync(dir).filter((f) => dpkgAnalyzer.required(`/var/lib/dpkg/status.d/${f}`, { path: '', size: 1, mode: 0o644, kind: 'file' }));
    expect(wanted).toEqual(['libsqlite3-0']);
    const findings = dpkgAnalyzer.analyze(
      { path: '/var/lib/dpkg/status.d/libsqlite3-0', size: 1, mode: 0o644, kind: 'file', content: readFileSync(join(dir, 'libsqlite3-0')) },
      { layer: { diffId: 'x', createdBy: null, index: 0 }, note: () => {} },
    );
    expect(findings).toMatchObject([
      { kind: 'package', package: { name: 'libsqlite3-0', version: '3.34.1-3', sourceName: 'sqlite3', arch: 'arm64', purl: 'pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64' } },
    ]);
  });
});
