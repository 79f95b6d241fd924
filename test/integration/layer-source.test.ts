/**
 * Layers read in place (Docker's overlay2 folders) against layers exported (`docker save`),
 * through real helper processes on the real engine (issue 14):
 * - equivalence: for every kind of image the integration suites build (whiteouts, opaque
 *   folders, hard links, symlinks, malware and secrets deleted in a later layer, secrets in
 *   the config, archives, the Debian and node_modules images), a helper reading in place and
 *   one exporting give the same report, as JSON, minus the field naming the path;
 * - the layer cache serves both paths: the per-layer results each wrote are the same files,
 *   and a helper of the other path re-scans from them without reading a layer;
 * - a helper running as a user who cannot read Docker's layer store exports by itself and
 *   says why in the task;
 * - an image deleted while its layers are read in place ends that scan with the reason, and
 *   the helper goes on;
 * - cancel stops a scan mid-walk on both paths.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive, type ImageArchiveSpec, type LayerSpec } from '@shipshape/analyzers/testing/image-archive.ts';
import { eicar, zipArchive } from '@shipshape/analyzers/malware/test-files.ts';
import type { ScanTask } from '@shipshape/shared';
import { ensureDebianImage } from '../support/debian-image.ts';
import { docker, loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { DockerProxy } from '../support/docker-proxy.ts';
import { apiJson, dataDirWithMaskKey, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { ensureNodeModulesImage } from '../bench/inventory-scan.ts';
import { RUN_FILE } from '@shipshape/helper/running.ts';

const PREFIX = 'shipshape-test/layer-source';
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
// Assembled at run time so the repository holds no literal secret.
const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACDxEYg2yjkz5cuVvCYw1ATrK8kG5zGyCq6VTiP3bHx3sAAAAJi2oH4ctqB+', '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
const GITHUB_TOKEN = ['ghp', 'Zq8Rt2Vx6Bn4Mk9Lp3Hs7Dw1Fy5Gc0Ja8Te2U'].join('_');
const status = (pkgs: Array<[string, string]>) => pkgs.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');
const control = (name: string, version: string) => `Package: ${name}\nArchitecture: amd64\nVersion: ${version}\n`;

const base: LayerSpec = {
  createdBy: 'base',
  files: [
    { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { path: '/lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' },
    { path: '/var/lib/dpkg/status', content: status([['libc6', '2.36-9'], ['openssl', '3.0.11-1~deb12u1'], ['curl', '7.88.1-10']]) },
    { path: '/var/lib/dpkg/status.d/zlib1g', content: control('zlib1g', '1:1.2.13.dfsg-1') },
  ],
};

/** Test-built images, one per kind of layer content the suites use (files in the byte order Docker's own tar writer uses). */
const images: Record<string, ImageArchiveSpec> = {
  deleted: { layers: [base, { createdBy: 'rm status', files: [], whiteouts: ['/lib/apk', '/var/lib/dpkg/status'] }] },
  replaced: { layers: [base, { createdBy: 'upgrade', files: [{ path: '/var/lib/dpkg/status', content: status([['libc6', '2.36-9'], ['openssl', '3.0.13-1~deb12u1']]) }] }] },
  opaque: { layers: [base, { createdBy: 'new status.d', files: [{ path: '/var/lib/dpkg/status.d/tzdata', content: control('tzdata', '2024a-0+deb12u1') }], opaqueDirs: ['/var/lib/dpkg/status.d'] }] },
  links: {
    layers: [
      {
        createdBy: 'links',
        files: [
          { path: '/app/config/token.txt', content: `token: ${GITHUB_TOKEN}\n` },
          { path: '/app/node_modules/left-pad/package.json', content: JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }) },
          { path: '/app/node_modules/pad', type: 'symlink', linkTarget: 'left-pad' },
          { path: '/etc/os-release', type: 'symlink', linkTarget: '../usr/lib/os-release' },
          { path: '/usr/lib/os-release', content: 'ID=alpine\nVERSION_ID=3.20.1\n' },
          { path: '/var/lib/dpkg/backup', content: status([['bash', '5.2.15-2+b2']]) },
          { path: '/var/lib/dpkg/status', type: 'hardlink', linkTarget: '/var/lib/dpkg/backup' },
          { path: '/var/lib/dpkg/token-link.txt', type: 'hardlink', linkTarget: '/app/config/token.txt' },
        ],
      },
    ],
  },
  risky: {
    config: { Env: ['PATH=/usr/bin:/bin', `GITHUB_TOKEN=${GITHUB_TOKEN}`], history: [{ created_by: `ENV GITHUB_TOKEN=${GITHUB_TOKEN}`, empty_layer: true }] },
    layers: [
      {
        createdBy: 'COPY . /',
        files: [
          { path: '/app/bundle.zip', content: zipArchive([{ name: 'readme.txt', content: 'hello' }, { name: 'tools/eicar.com', content: eicar() }], { deflate: true }) },
          { path: '/root/.ssh/id_ed25519', content: KEY, mode: 0o600 },
          { path: '/tmp/dropper/payload.com', content: eicar() },
        ],
      },
      { createdBy: 'RUN rm', files: [{ path: '/app/after.txt', content: 'x\n' }], whiteouts: ['/root/.ssh/id_ed25519', '/tmp/dropper/payload.com'] },
    ],
  },
};

let work: string;
const ids: Record<string, string> = {};

/** The report as the API serves it, minus what says how the layers were read. */
async function report(helper: HelperProcess, id: string): Promise<Record<string, unknown>> {
  const { layerSource: _layerSource, ...rest } = await apiJson<Record<string, unknown>>(helper, `/api/images/${id}/report`);
  return rest;
}

async function scanAll(helper: HelperProcess, imageIds: string[]): Promise<ScanTask> {
  const task = await apiJson<ScanTask>(helper, '/api/scans', json({ images: imageIds }));
  return (await waitFor(async () => {
    const view = await apiJson<ScanTask>(helper, `/api/scans/${task.id}`);
    return view.done === view.total ? view : null;
  }, 1_200_000, 200))!;
}

async function known(helper: HelperProcess, imageIds: string[]): Promise<void> {
  await waitFor(async () => (await Promise.all(imageIds.map((id) => helper.api(`/api/images/${id}`)))).every((r) => r.ok), 60_000);
}

/** Per-layer cache entries of a data dir: diffID → the cached result as written. */
function cachedLayers(dataDir: string): Map<string, string> {
  const dir = join(dataDir, 'layer-cache');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ diffId: string; file: string }>;
  return new Map(index.map((e) => [e.diffId, readFileSync(join(dir, e.file), 'utf8')]));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-layer-source-'));
  chmodSync(work, 0o755); // the helper run as `nobody` keeps its data dir in here
  await removeImages(PREFIX);
  for (const [name, spec] of Object.entries(images)) {
    const file = join(work, `${name}.tar`);
    ids[name] = (await writeImageArchive({ ...spec, tags: [`${PREFIX}:${name}`] }, file)).imageId;
    await loadImageArchive(file);
  }
  const debian = await ensureDebianImage();
  ids.debian = debian.id;
  ids.nodeModules = (await docker.getImage(await ensureNodeModulesImage(debian.tag)).inspect()).Id;
}, 1_800_000);

afterAll(async () => {
  await removeImages(PREFIX);
  rmSync(work, { recursive: true, force: true });
});

describe('in place and exported give the same scan', () => {
  const helpers: Partial<Record<'in-place' | 'export', HelperProcess>> = {};
  const tasks: Partial<Record<'in-place' | 'export', ScanTask>> = {};
  beforeAll(async () => {
    for (const mode of ['in-place', 'export'] as const) {
      // One installation's mask key for both: a secret's fingerprint is keyed per data dir.
      const helper = await startHelper({ dataDir: dataDirWithMaskKey(join(work, `data-${mode}`)), env: { SHIPSHAPE_LAYER_SOURCE: mode } });
      helpers[mode] = helper;
      await known(helper, Object.values(ids));
      tasks[mode] = await scanAll(helper, Object.values(ids));
    }
  }, 2_400_000);
  afterAll(async () => {
    await helpers['in-place']?.stop();
    await helpers.export?.stop();
  });

  it('every image was read the way its helper was told, and scanned', () => {
    for (const mode of ['in-place', 'export'] as const) {
      expect(tasks[mode]!.images.map((i) => [i.name, i.status, i.layerSource, i.reason])).toEqual(
        tasks[mode]!.images.map((i) => [i.name, 'scanned', mode, null]),
      );
    }
  });

  it.each(Object.keys({ ...images, debian: 1, nodeModules: 1 }))('%s: the same report as JSON', async (name) => {
    const inPlace = await report(helpers['in-place']!, ids[name]!);
    const exported = await report(helpers.export!, ids[name]!);
    expect(JSON.stringify(inPlace, null, 1)).toBe(JSON.stringify(exported, null, 1));
  });

  it('the reports hold what the images hide: deleted malware and secrets, whiteouts, opaque folders, links', async () => {
    const risky = (await report(helpers['in-place']!, ids.risky!)) as { malware: Array<{ path: string; inFinalFilesystem: boolean }>; sensitive: Array<{ path: string; inFinalFilesystem: boolean }> };
    expect(risky.malware.filter((m) => m.path === '/tmp/dropper/payload.com').every((m) => !m.inFinalFilesystem)).toBe(true);
    expect(risky.malware.some((m) => m.path === '/app/bundle.zip!/tools/eicar.com' && m.inFinalFilesystem)).toBe(true);
    expect(risky.sensitive.find((s) => s.path === '/root/.ssh/id_ed25519')?.inFinalFilesystem).toBe(false);
    const packages = async (name: string) => ((await report(helpers['in-place']!, ids[name]!)) as { packages: Array<{ name: string; version: string }> }).packages.map((p) => `${p.name}=${p.version}`).sort();
    expect(await packages('deleted')).toEqual(['zlib1g=1:1.2.13.dfsg-1']);
    expect(await packages('opaque')).toEqual(['curl=7.88.1-10', 'libc6=2.36-9', 'musl=1.2.4-r2', 'openssl=3.0.11-1~deb12u1', 'tzdata=2024a-0+deb12u1']);
    expect(await packages('links')).toEqual(['bash=5.2.15-2+b2', 'left-pad=1.3.0']);
    expect(((await report(helpers['in-place']!, ids.links!)) as { image: { os: { family: string } } }).image.os.family).toBe('alpine');
  });

  it('the layer cache holds the same per-layer results from both paths, and each path re-scans from the other\'s', async () => {
    const fromInPlace = cachedLayers(helpers['in-place']!.dataDir);
    const fromExport = cachedLayers(helpers.export!.dataDir);
    expect([...fromInPlace.keys()].sort()).toEqual([...fromExport.keys()].sort());
    for (const [diffId, result] of fromInPlace) expect(result, diffId).toBe(fromExport.get(diffId));
    // The export helper's cache, given to an in-place helper: nothing is read again.
    const dataDir = join(work, 'crossed');
    execFileSync('cp', ['-a', helpers.export!.dataDir, dataDir]);
    // The copy is of a running helper's folder: its run file would make the new helper defer to it.
    rmSync(join(dataDir, RUN_FILE), { force: true });
    const crossed = await startHelper({ dataDir, env: { SHIPSHAPE_LAYER_SOURCE: 'in-place' } });
    try {
      await known(crossed, [ids.debian!, ids.risky!]);
      const again = await scanAll(crossed, [ids.debian!, ids.risky!]);
      expect(again.images.map((i) => [i.status, i.layerSource, i.analyzedLayers, i.dockerSaveSkipped])).toEqual([
        ['scanned', 'cache', 0, true],
        ['scanned', 'cache', 0, true],
      ]);
    } finally {
      await crossed.stop();
    }
  });
});

describe('a helper that cannot read the layer store', () => {
  let proxy: DockerProxy;
  let helper: HelperProcess | undefined;
  afterAll(async () => {
    await helper?.stop();
    await proxy?.down();
  });

  it('exports by itself and says why in the task', async () => {
    // `nobody` reaches Docker through a socket of its own, and cannot read Docker's data root (mode 0710, root's).
    const sockets = join(work, 'sockets');
    mkdirSync(sockets);
    chmodSync(sockets, 0o755);
    proxy = new DockerProxy(join(sockets, 'docker.sock'));
    await proxy.up();
    const dataDir = join(work, 'nobody-data');
    mkdirSync(dataDir);
    chownSync(dataDir, 65534, 65534);
    helper = await startHelper({ dataDir, user: { uid: 65534, gid: 65534 }, env: { DOCKER_HOST: `unix://${join(sockets, 'docker.sock')}`, HOME: dataDir } });
    await known(helper, [ids.risky!]);
    const task = await scanAll(helper, [ids.risky!]);
    const item = task.images[0]!;
    expect(item).toMatchObject({ status: 'scanned', layerSource: 'export', dockerSaveSkipped: false });
    expect(item.layerSourceNote).toMatch(/^layers read through docker save: in-place reading not possible \(the helper \(uid 65534\) cannot read Docker's layer store .* \(EACCES\); run it as root or give it read access\)$/);
    expect(helper.output()).not.toMatch(/in place/);
    expect((await apiJson<{ layerSource: string }>(helper, `/api/images/${ids.risky}/report`)).layerSource).toBe('export');
  });
});

describe('an image deleted while its layers are read in place', () => {
  let helper: HelperProcess | undefined;
  afterAll(async () => {
    await helper?.stop();
  });

  it('ends that scan with the reason; the helper goes on', async () => {
    // Six layers of text the secrets pass reads line by line: seconds of reading, so the delete lands mid-read.
    const text = (seed: number) => Buffer.from(Array.from({ length: 4000 }, (_, i) => `config_${seed}_${i} = "value ${i} password check ${seed}"`).join('\n'));
    const layers: LayerSpec[] = Array.from({ length: 6 }, (_, l) => ({ createdBy: `layer ${l}`, files: Array.from({ length: 150 }, (_, f) => ({ path: `/data/${l}/f${String(f).padStart(3, '0')}.conf`, content: text(l * 1000 + f) })) }));
    const file = join(work, 'doomed.tar');
    const doomed = (await writeImageArchive({ layers, tags: [`${PREFIX}:doomed`] }, file)).imageId;
    await loadImageArchive(file);
    rmSync(file);
    helper = await startHelper({ env: { SHIPSHAPE_LAYER_SOURCE: 'in-place' } });
    const h = helper;
    await known(h, [doomed, ids.links!]);
    const task = await apiJson<ScanTask>(h, '/api/scans', json({ images: [doomed], categories: ['sensitive', 'malware'] }));
    // Deleted once the folders are being read (not while the scan still plans how to read them).
    await waitFor(async () => (await apiJson<ScanTask>(h, `/api/scans/${task.id}`)).images[0]!.layerSource === 'in-place', 60_000, 20);
    await docker.getImage(doomed).remove({ force: true });
    const done = (await waitFor(async () => {
      const view = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
      return view.done === view.total ? view : null;
    }, 120_000, 100))!;
    expect(done.images[0], done.images[0]!.reason ?? '').toMatchObject({ status: 'scan_exception', layerSource: 'in-place' });
    expect(done.images[0]!.reason).toMatch(/^the image was removed from Docker while its layers were read in place \(.*\); nothing was reported for it$/);
    // It goes on: health, and the next scan.
    expect((await fetch(`${h.url}/api/health`)).ok).toBe(true);
    const next = await scanAll(h, [ids.links!]);
    expect(next.images[0]).toMatchObject({ status: 'scanned', layerSource: 'in-place' });
    expect(h.child.exitCode).toBeNull();
  });
});

describe.each(['in-place', 'export'] as const)('cancel on the %s path', (mode) => {
  let helper: HelperProcess | undefined;
  afterAll(async () => {
    await helper?.stop();
  });

  it('ends the image cancelled with its walk stopped, and the layer workers take the next scan', async () => {
    helper = await startHelper({ env: { SHIPSHAPE_LAYER_SOURCE: mode } });
    const h = helper;
    await known(h, [ids.debian!, ids.links!]);
    const task = await apiJson<ScanTask>(h, '/api/scans', json({ images: [ids.debian], categories: ['sensitive', 'malware'] }));
    await waitFor(async () => {
      const image = (await apiJson<ScanTask>(h, `/api/scans/${task.id}`)).images[0]!;
      if (image.status !== 'scanning' && image.status !== 'queued') throw new Error(`the scan ended before it could be cancelled: ${JSON.stringify(image)}`);
      return image.status === 'scanning' && image.categories.malware!.bytesDone > 0;
    }, 120_000, 20);
    expect(await apiJson(h, '/api/scans/cancel', json({ task: task.id }))).toEqual({ cancelled: 1 });
    const done = (await waitFor(async () => {
      const view = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
      return view.done === view.total ? view : null;
    }, 60_000, 20))!;
    expect(done.images[0]).toMatchObject({ status: 'cancelled', reason: 'cancelled by the user', layerSource: mode });
    // The cancel stopped the walk (no time limit asserted: the machine may be busy): the image
    // ended cancelled before its layers were all analysed, not once the scan had run to its end.
    const malware = done.images[0]!.categories.malware!;
    expect(malware).toMatchObject({ phase: 'cancelled' });
    expect(malware.layersDone).toBeLessThan(malware.layersTotal);
    const next = await scanAll(h, [ids.links!]);
    expect(next.images[0]).toMatchObject({ status: 'scanned', layerSource: mode });
  });
});
