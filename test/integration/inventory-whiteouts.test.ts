/**
 * Whiteouts as Docker itself writes them: images made with the archive writer are loaded
 * into the real engine (stored in overlay2), then exported again by `docker save` and scanned
 * from dockerode's `image.get()` stream. What a later layer deletes, replaces or hides behind
 * an opaque directory must not be reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanImage } from '@shipshape/analyzers';
import { writeImageArchive, type LayerSpec } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ScanReport } from '@shipshape/shared';
import { docker, loadImageArchive, removeImages } from '../support/docker.ts';

const PREFIX = 'shipshape-test/inventory-whiteouts';
const status = (pkgs: Array<[string, string]>) =>
  pkgs.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');
const control = (name: string, version: string) => `Package: ${name}\nArchitecture: amd64\nVersion: ${version}\n`;

const base: LayerSpec = {
  createdBy: 'base',
  files: [
    { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { path: '/var/lib/dpkg/status', content: status([['libc6', '2.36-9'], ['openssl', '3.0.11-1~deb12u1'], ['curl', '7.88.1-10']]) },
    { path: '/var/lib/dpkg/status.d/zlib1g', content: control('zlib1g', '1:1.2.13.dfsg-1') },
    { path: '/lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' },
  ],
};

const images: Record<string, LayerSpec[]> = {
  deleted: [base, { createdBy: 'rm status', files: [], whiteouts: ['/var/lib/dpkg/status', '/lib/apk'] }],
  replaced: [base, { createdBy: 'upgrade openssl, remove curl', files: [{ path: '/var/lib/dpkg/status', content: status([['libc6', '2.36-9'], ['openssl', '3.0.13-1~deb12u1']]) }] }],
  opaque: [base, { createdBy: 'new status.d', files: [{ path: '/var/lib/dpkg/status.d/tzdata', content: control('tzdata', '2024a-0+deb12u1') }], opaqueDirs: ['/var/lib/dpkg/status.d'] }],
};

let work: string;

async function scanFromDocker(tag: string): Promise<ScanReport> {
  const stream = (await docker.getImage(tag).get()) as unknown as Readable;
  return scanImage(stream);
}
const inventory = (report: ScanReport) => report.packages.map((p) => `${p.name}=${p.version}@${p.layer.createdBy}`).sort();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-whiteouts-'));
  for (const [name, layers] of Object.entries(images)) {
    const file = join(work, `${name}.tar`);
    await writeImageArchive({ layers, tags: [`${PREFIX}:${name}`] }, file);
    expect(await loadImageArchive(file)).toContain(`${PREFIX}:${name}`);
  }
});

afterAll(async () => {
  await removeImages(PREFIX);
  rmSync(work, { recursive: true, force: true });
});

describe('whiteouts exported by the real Docker Engine', () => {
  it('a deleted package database (file and directory whiteouts) reports nothing from it', async () => {
    expect(inventory(await scanFromDocker(`${PREFIX}:deleted`))).toEqual(['zlib1g=1:1.2.13.dfsg-1@base']);
  });

  it('a replaced database reports the later versions; unchanged packages keep the base layer', async () => {
    const report = await scanFromDocker(`${PREFIX}:replaced`);
    expect(inventory(report)).toEqual(['libc6=2.36-9@base', 'musl=1.2.4-r2@base', 'openssl=3.0.13-1~deb12u1@upgrade openssl, remove curl', 'zlib1g=1:1.2.13.dfsg-1@base']);
    expect(report.image.os).toMatchObject({ family: 'debian', version: '12' });
  });

  it('an opaque directory hides the lower layer content and keeps its own', async () => {
    const report = await scanFromDocker(`${PREFIX}:opaque`);
    expect(inventory(report)).toEqual(['curl=7.88.1-10@base', 'libc6=2.36-9@base', 'musl=1.2.4-r2@base', 'openssl=3.0.11-1~deb12u1@base', 'tzdata=2024a-0+deb12u1@new status.d']);
  });
});
