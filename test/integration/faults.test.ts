/**
 * Faults from issue 8, against a real helper process:
 * 1. dockerd stops (SIGTERM, as a service manager stops it) in the middle of a scan: a daemon
 *    of the test's own, so the shared one is never touched. The image ends `scan_exception`
 *    with "Docker unavailable", Docker routes answer 503 while it is gone, and the helper
 *    resumes when dockerd is started again, without a restart. Both ways of reading layers
 *    (in place from the daemon's folders, and docker save) behave the same (issue 14), except
 *    that in place every layer may have been read and the image confirmed before dockerd stops
 *    answering: then the scan is complete and says so.
 * 2. The data dir is a tiny tmpfs filled to the brim: the helper does not crash, and state.json
 *    stays valid JSON the helper can read after space is freed and it restarts.
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { State } from '@shipshape/helper/state/schema.ts';
import type { Health, ScanTask } from '@shipshape/shared';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { PrivateDockerd } from '../support/private-dockerd.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/faults-';
let work: string;
let bigId: string;
let bigArchive: string;
let smallId: string;

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
type ImageView = { scanStatus: string; scanError: string | null };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-faults-'));
  await removeImages(PREFIX);
  // 200 MB of random data (for the private dockerd): the scan is surely still streaming when dockerd stops.
  const files = Array.from({ length: 20 }, (_, i) => ({ path: `/blob/${i}.bin`, content: randomBytes(10 * 1024 * 1024) }));
  bigArchive = join(work, 'big.tar');
  bigId = (await writeImageArchive({ tags: [`${PREFIX}big:1`], layers: [{ files }] }, bigArchive)).imageId;
  const small = join(work, 'small.tar');
  const secret = { path: '/app/.env', content: `AWS_SECRET_ACCESS_KEY=${randomBytes(20).toString('base64')}\n` };
  smallId = (await writeImageArchive({ tags: [`${PREFIX}small:1`], layers: [{ files: [secret] }] }, small)).imageId;
  await loadImageArchive(small);
}, 600_000);

afterAll(async () => {
  await removeImages(PREFIX);
  await rm(work, { recursive: true, force: true });
});

describe.each(['in-place', 'export'] as const)('dockerd stops in the middle of a scan (layers read %s)', (layerSource) => {
  let dockerd: PrivateDockerd;
  let helper: HelperProcess | undefined;
  afterAll(async () => {
    await helper?.stop();
    await dockerd?.destroy();
  });

  it('ends scan_exception "Docker unavailable" (or complete, when read in place before it went), answers 503 meanwhile, and resumes when dockerd is back, without a restart', { timeout: 600_000 }, async () => {
    dockerd = new PrivateDockerd(join(work, `dockerd-${layerSource}`));
    await dockerd.start();
    await loadImageArchive(bigArchive, dockerd.client);
    helper = await startHelper({ env: { DOCKER_HOST: dockerd.dockerHost, SHIPSHAPE_LAYER_SOURCE: layerSource } });
    const h = helper;
    await waitFor(async () => (await h.api(`/api/images/${bigId}`)).ok, 60_000);

    const task = await apiJson<ScanTask>(h, '/api/scans', json({ images: [bigId], categories: ['sensitive', 'malware'] }));
    // Stop dockerd once the layers are being read, not after a fixed delay: in place, once bytes
    // have come in (200 MB are read in about a second); through the export, once it is asked
    // for: `docker save` writes the whole export to its own temp folder before the first byte,
    // then the scan takes the 200 MB to a layer file in well under a second.
    await waitFor(async () => {
      const item = (await apiJson<ScanTask>(h, `/api/scans/${task.id}`)).images[0]!;
      return item.layerSource === layerSource && (layerSource === 'export' || Object.values(item.categories).some((c) => c.bytesDone > 0));
    }, 60_000, 20);
    await dockerd.stop();

    const finished = (await waitFor(async () => {
      const t = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
      return t.done === t.total ? t : null;
    }, 120_000))!;
    const item = finished.images.find((i) => i.imageId === bigId)!;
    expect(item.layerSource).toBe(layerSource);
    // Read in place, the layers may all have been read (and the image confirmed) before dockerd
    // stopped answering: that scan is complete and says so. Otherwise, as through docker save,
    // it ends "Docker unavailable", never with a partial result.
    const readBeforeStop = layerSource === 'in-place' && item.status === 'scanned';
    if (readBeforeStop) expect(item.reason).toBeNull();
    else {
      expect(item.status).toBe('scan_exception');
      expect(item.reason).toMatch(/^Docker unavailable: /);
    }

    const during = await h.api('/api/images');
    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: { code: string } }).error.code).toBe('docker_unavailable');
    const health = (await (await fetch(`${h.url}/api/health`)).json()) as Health;
    expect(health.docker.reachable).toBe(false);

    await dockerd.start();
    await waitFor(async () => (await h.api('/api/images?limit=1')).status === 200, 30_000);
    const view = await apiJson<ImageView>(h, `/api/images/${bigId}`);
    expect(view.scanStatus).toBe(item.status);
    if (!readBeforeStop) expect(view.scanError).toMatch(/^Docker unavailable: /);
    process.stdout.write(`faults: dockerd stopped mid-scan (layers read ${layerSource}) -> ${item.status}${item.reason ? ` "${item.reason}"` : ' (every layer read before it went)'}\n`);

    const again = await apiJson<ScanTask>(h, '/api/scans', json({ images: [bigId], categories: ['sensitive'] }));
    const done = (await waitFor(async () => {
      const t = await apiJson<ScanTask>(h, `/api/scans/${again.id}`);
      return t.done === t.total ? t : null;
    }, 300_000, 200))!;
    expect(done.images[0]!.status).toBe('scanned');
    expect((await apiJson<ImageView>(h, `/api/images/${bigId}`)).scanStatus).toBe('scanned');
    expect(h.child.exitCode).toBeNull();
  });
});

/** Writes zeros until the filesystem says ENOSPC; returns the filler's path. */
async function fillDisk(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return path;
}

describe('a full disk under the data dir', () => {
  let mountPoint: string;
  let helper: HelperProcess | null = null;
  beforeAll(async () => {
    mountPoint = join(work, 'tmpfs');
    await mkdir(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]);
  });
  afterAll(async () => {
    await helper?.kill('SIGKILL');
    execFileSync('umount', [mountPoint]);
  });

  it('does not crash, says why, and keeps state.json valid for the next start', { timeout: 300_000 }, async () => {
    const dataDir = join(mountPoint, 'data');
    helper = await startHelper({ dataDir });
    const h = helper;
    await waitFor(async () => (await h.api(`/api/images/${smallId}`)).ok, 60_000);
    const filler = await fillDisk(mountPoint);

    const columns = await h.api('/api/settings/columns', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ columns: ['name', 'id'] }) });
    const scan = await h.api('/api/scans', json({ images: [smallId], categories: ['sensitive'] }));
    const answers = `columns ${columns.status}, scan ${scan.status}`;
    let ended: ScanTask['images'][number] | undefined;
    if (scan.ok) {
      const task = (await scan.json()) as ScanTask;
      ended = (await waitFor(async () => {
        const t = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
        return t.done === t.total ? t : null;
      }, 120_000, 200))!.images[0];
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.child.exitCode).toBeNull();
    expect((await fetch(`${h.url}/api/health`)).ok).toBe(true);
    const said = h.output().match(/.*ENOSPC.*|.*no space.*/i)?.[0] ?? (scan.ok ? '' : await scan.text());
    expect(said, `the helper says the disk is full (${answers}):\n${h.output()}`).toMatch(/ENOSPC|no space/i);

    await rm(filler);
    await h.stop();
    helper = null;
    const saved = State.parse(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')));
    // Space came back before the stop: the changes that could not be written then are on disk now.
    expect(saved.images[smallId]?.scan).toMatchObject({ scanStatus: ended?.status ?? 'not_scanned' });
    if (ended?.status === 'scan_exception') expect(ended.reason).toMatch(/ENOSPC|no space/i);

    helper = await startHelper({ dataDir });
    expect((await helper.api(`/api/images/${smallId}`)).status).toBe(200);
    expect(helper.child.exitCode).toBeNull();
    process.stdout.write(`faults: full disk (${answers}, scan ended ${ended?.status}: ${ended?.reason}) -> "${said.trim().slice(0, 160)}"; state.json valid after restart\n`);
  });
});
