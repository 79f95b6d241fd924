/**
 * The dpkg inventory of real Debian images (built offline from Debian's packages with
 * mmdebstrap, see test/support/debian-image.ts) equals what dpkg itself says inside them:
 * `dpkg-query -W` run in a container of the same image.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '@shipshape/shared';
import { buildImage, docker, removeImages } from '../support/docker.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { runScanCli, scanWithCli } from './inventory-cli.ts';

const PREFIX = 'shipshape-test/inventory-dpkg';
const PURGED = `${PREFIX}:purged`;
let debian: { tag: string; id: string };
let work: string;

function dpkgQuery(image: string): string[] {
  const out = execFileSync(
    'docker',
    ['run', '--rm', '--network', 'none', image, 'dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${db:Status-Abbrev}\\n'],
    { encoding: 'utf8' },
  );
  // dpkg-query also lists removed packages whose config files remain; they are not installed.
  return out
    .split('\n')
    .filter((line) => line && !/\t(rc|un|pn)\s*$/.test(line))
    .map((line) => line.split('\t').slice(0, 4).join('\t'))
    .sort();
}

const ourDpkg = (report: ScanReport) =>
  report.packages
    .filter((p) => p.purl.startsWith('pkg:deb/'))
    .map((p) => [p.name, p.version, p.sourceName, p.sourceVersion].join('\t'))
    .sort();

beforeAll(async () => {
  debian = await ensureDebianImage();
  work = mkdtempSync(join(tmpdir(), 'shipshape-inventory-dpkg-'));
  // A later layer removes a package and a directory: neither may be reported.
  writeFileSync(join(work, 'Dockerfile'), `FROM ${debian.tag}\nRUN dpkg --purge --force-all ca-certificates && rm -rf /usr/share/doc\n`);
  await buildImage(work, PURGED, { network: 'none' });
});

afterAll(async () => {
  await removeImages(PREFIX);
  rmSync(work, { recursive: true, force: true });
});

describe('dpkg inventory of real Debian images', () => {
  it('equals dpkg-query inside the image (scan by tag)', async () => {
    const report = await scanWithCli([debian.tag, '--quiet']);
    expect(ourDpkg(report)).toEqual(dpkgQuery(debian.tag));
    expect(report.packages.length).toBeGreaterThan(80);
    const inspect = await docker.getImage(debian.tag).inspect();
    expect(report.image.id).toBe(inspect.Id);
    expect(report.image.tags).toContain(debian.tag);
    expect(report.image.os).toMatchObject({ family: 'debian', version: '12' });
    expect(report.image.layers.map((l) => l.diffId)).toEqual(inspect.RootFS.Layers);
    const libc = report.packages.find((p) => p.name === 'libc6')!;
    expect(libc.ecosystem).toBe('Debian:12');
    expect(libc.sourceName).toBe('glibc');
    expect(libc.purl).toMatch(/^pkg:deb\/debian\/libc6@[^?]+\?arch=amd64&distro=debian-12$/);
    // mmdebstrap's base layer installed it; the later steps did not change it.
    expect(libc.layer.diffId).toBe(inspect.RootFS.Layers?.[0]);
  });

  it('a package purged in a later layer is gone, the rest keep their original layer (scan by ID)', async () => {
    const inspect = await docker.getImage(PURGED).inspect();
    const report = await scanWithCli([inspect.Id.slice(7, 19), '--quiet']);
    expect(report.image.tags).toEqual([PURGED]);
    expect(ourDpkg(report)).toEqual(dpkgQuery(PURGED));
    expect(report.packages.map((p) => p.name)).not.toContain('ca-certificates');
    expect(report.packages.find((p) => p.name === 'bash')!.layer.diffId).toBe(inspect.RootFS.Layers?.[0]);
  });

  it('reads the same image from a docker save file (--input), and prints a table', async () => {
    const file = join(work, 'debian.tar');
    execFileSync('docker', ['save', '-o', file, debian.tag]);
    const fromFile = await scanWithCli(['--input', file, '--quiet']);
    const fromDocker = await scanWithCli([debian.tag, '--quiet']);
    // The same report either way, but for which path read the layers: a file is always exported.
    const { layerSource: fileSource, ...fileReport } = fromFile;
    const { layerSource: dockerSource, ...dockerReport } = fromDocker;
    expect(fileReport).toEqual(dockerReport);
    expect(fileSource).toBe('export');
    expect(['in-place', 'export']).toContain(dockerSource);
    const table = await runScanCli(['--input', file, '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Debian:12\s+libc6\s+/m);
    expect(table.stderr).toMatch(/scanning: 3(\/3)? layers, [\d.]+ MB read/);
  });
});
