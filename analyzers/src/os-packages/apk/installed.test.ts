/** Fixtures (testdata/SOURCE.md): trivy's apk database with its want-list; syft's apk databases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApkInstalled } from './installed.ts';

const read = (fixture: string) => readFileSync(join(import.meta.dirname, 'testdata', fixture, 'lib/apk/db/installed'), 'utf8');

describe('parseApkInstalled', () => {
  it('agrees with trivy', () => {
    type Want = { Name: string; Version: string; Arch: string; SrcName: string; SrcVersion: string; Licenses?: string[]; Maintainer?: string };
    const want = (JSON.parse(readFileSync(join(import.meta.dirname, 'testdata/trivy/expected.trivy.json'), 'utf8')) as { packages: Want[] }).packages;
    const { packages, rejected } = parseApkInstalled(read('trivy'));
    expect(packages.map((p) => [p.name, p.version, p.arch, p.origin, p.version])).toEqual(want.map((w) => [w.Name, w.Version, w.Arch, w.SrcName, w.SrcVersion]));
    expect(packages.map((p) => p.maintainer)).toEqual(want.map((w) => w.Maintainer ?? null));
    expect(rejected).toEqual(['invalidPackageWithoutAVersion']);
  });

  it('reads syft fixtures, and nothing from a corrupt header', () => {
    expect(parseApkInstalled(read('syft-single')).packages.map((p) => `${p.name}=${p.version}`)).toEqual(['musl-utils=1.1.24-r2']);
    expect(parseApkInstalled(read('syft-multiple-2')).packages).toHaveLength(14);
    const corrupt = parseApkInstalled(read('syft-corrupt'));
    expect(corrupt.packages.map((p) => `${p.name}=${p.version} (${p.origin})`)).toEqual(['alpine-baselayout-data=3.2.0-r22 (alpine-baselayout)']);
  });

  it('rejects versions apk itself would refuse', () => {
    const { packages, rejected } = parseApkInstalled('P:ok\nV:1.2.3_git20230717-r4\n\nP:bad\nV:1.2.3 beta\n\nP:alsobad\nV:abc\n');
    expect(packages.map((p) => p.name)).toEqual(['ok']);
    expect(rejected).toEqual(['bad', 'alsobad']);
  });
});
