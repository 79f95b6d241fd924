import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osReleaseAnalyzer } from './analyzer.ts';
import { osvEcosystem } from './ecosystem.ts';
import { osFromOsRelease, osFromRedhatRelease, parseOsRelease } from './os-release.ts';
import { qualifyOsPackages } from './qualify-packages.ts';

describe('os-release', () => {
  it('reads a real Debian 12 os-release', () => {
    const text = readFileSync(join(import.meta.dirname, '../os-packages/dpkg/testdata/debian12-host/etc/os-release'), 'utf8');
    expect(osFromOsRelease(text)).toEqual({ family: 'debian', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  });
  it('handles quoting, escapes, comments and missing VERSION_ID', () => {
    expect(parseOsRelease('# c\nNAME="A \\"B\\""\nID=alpine\nVERSION_ID=3.19.1\nX=\'y z\'\n')).toEqual({ NAME: 'A "B"', ID: 'alpine', VERSION_ID: '3.19.1', X: 'y z' });
    expect(osFromOsRelease('ID=debian\nVERSION_CODENAME=trixie\n')).toEqual({ family: 'debian', version: 'trixie' });
    expect(osFromOsRelease('NAME=nothing\n')).toBeNull();
  });
  it('reads redhat-release lines', () => {
    expect(osFromRedhatRelease('Red Hat Enterprise Linux release 8.9 (Ootpa)\n')).toMatchObject({ family: 'rhel', version: '8.9' });
    expect(osFromRedhatRelease('CentOS Linux release 7.9.2009 (Core)')).toMatchObject({ family: 'centos', version: '7.9.2009' });
    expect(osFromRedhatRelease('Rocky Linux release 9.3 (Blue Onyx)')).toMatchObject({ family: 'rocky', version: '9.3' });
  });
});

describe('osvEcosystem', () => {
  it('names OSV ecosystems with their release', () => {
    expect(osvEcosystem({ family: 'debian', version: '12' })).toBe('Debian:12');
    expect(osvEcosystem({ family: 'debian', version: '12.5' })).toBe('Debian:12');
    expect(osvEcosystem({ family: 'debian', version: 'trixie' })).toBe('Debian');
    expect(osvEcosystem({ family: 'ubuntu', version: '22.04' })).toBe('Ubuntu:22.04');
    expect(osvEcosystem({ family: 'alpine', version: '3.19.1' })).toBe('Alpine:v3.19');
    expect(osvEcosystem({ family: 'rhel', version: '9.3' })).toBe('Red Hat:9');
    expect(osvEcosystem({ family: 'centos', version: '8' })).toBe('Red Hat:8');
    expect(osvEcosystem({ family: 'rocky', version: '9.3' })).toBe('Rocky Linux:9');
    expect(osvEcosystem({ family: 'almalinux', version: '8.10' })).toBe('AlmaLinux:8');
    expect(osvEcosystem({ family: 'opensuse-leap', version: '15.5' })).toBe('openSUSE:Leap 15.5');
    expect(osvEcosystem({ family: 'opensuse-tumbleweed', version: '20240101' })).toBe('openSUSE:Tumbleweed');
    expect(osvEcosystem({ family: 'sles', version: '15.5' })).toBe('SUSE:15.5');
    expect(osvEcosystem({ family: 'sles', version: '15' })).toBe('SUSE:15.0');
    expect(osvEcosystem({ family: 'photon', version: '5.0' })).toBe('Photon OS:5.0');
    expect(osvEcosystem({ family: 'distroless', version: '' })).toBeNull();
    expect(osvEcosystem(null)).toBeNull();
  });
});

describe('qualifyOsPackages', () => {
  const layer = { diffId: 'sha256:0', createdBy: null };
  const deb = { ecosystem: 'Debian', name: 'libc6', version: '2.36-9', sourceName: 'glibc', sourceVersion: '2.36-9', purl: 'pkg:deb/debian/libc6@2.36-9?arch=amd64', paths: ['/var/lib/dpkg/status'], layer };
  const npm = { ecosystem: 'npm', name: 'x', version: '1.0.0', sourceName: null, sourceVersion: null, purl: 'pkg:npm/x@1.0.0', paths: ['/x/package.json'], layer };
  it('gives OS packages the release ecosystem and distro, leaves the rest alone', () => {
    const [libc, pkg] = qualifyOsPackages([deb, npm], { family: 'ubuntu', version: '22.04' });
    expect(libc).toMatchObject({ ecosystem: 'Ubuntu:22.04', purl: 'pkg:deb/ubuntu/libc6@2.36-9?arch=amd64&distro=ubuntu-22.04' });
    expect(pkg).toBe(npm);
    // Packages of another format than the OS's own keep their generic identity.
    expect(qualifyOsPackages([deb], { family: 'alpine', version: '3.19.1' })[0]).toBe(deb);
  });
});

describe('osReleaseAnalyzer', () => {
  const ctx = { layer: { diffId: 'x', createdBy: null, index: 0 }, note: () => {} };
  it('claims the OS with a priority per file; symlinks are not read', () => {
    const meta = { size: 10, mode: 0o644, kind: 'file' as const };
    expect(osReleaseAnalyzer.required('/etc/os-release', { path: '/etc/os-release', ...meta })).toBe(true);
    expect(osReleaseAnalyzer.required('/etc/os-release', { path: '/etc/os-release', ...meta, kind: 'symlink' })).toBe(false);
    expect(osReleaseAnalyzer.analyze({ path: '/etc/alpine-release', ...meta, content: Buffer.from('3.19.1\n') }, ctx)).toEqual([
      { kind: 'os', path: '/etc/alpine-release', os: { family: 'alpine', version: '3.19.1' }, priority: 80 },
    ]);
  });
});
