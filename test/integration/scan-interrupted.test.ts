/**
 * Crashes lose nothing, scans included: a small image is scanned, then the helper is killed
 * with SIGKILL while it scans a large one (200 MB of random data, so the scan is surely still
 * running). After a restart on the same data dir the large image is `scan_exception` with the
 * reason "interrupted", the small one keeps its report, and state.json is valid.
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { State } from '@shipshape/helper/state/schema.ts';
import type { ScanTask } from '@shipshape/shared';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadImageArchive, removeImages } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/interrupted-';
const BIG_FILES = 20;
const BIG_FILE_BYTES = 10 * 1024 * 1024;
let work: string;
let smallId: string;
let bigId: string;

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readState(dataDir: string): Promise<State> {
  return State.parse(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')));
}

/** Polls until `check` answers true or the time is up. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-interrupted-'));
  await removeImages(PREFIX);
  const small = join(work, 'small.tar');
  smallId = (await writeImageArchive({ tags: [`${PREFIX}small:1`], layers: [{ files: [{ path: '/hello.txt', content: `hello ${process.pid}` }] }] }, small)).imageId;
  await loadImageArchive(small);
  // Random content defeats compression and every analyzer's shortcuts.
  const files = Array.from({ length: BIG_FILES }, (_, i) => ({ path: `/blob/${i}.bin`, content: randomBytes(BIG_FILE_BYTES) }));
  const big = join(work, 'big.tar');
  bigId = (await writeImageArchive({ tags: [`${PREFIX}big:1`], layers: [{ files }] }, big)).imageId;
  await loadImageArchive(big);
  await rm(big, { force: true });
}, 600_000);

afterAll(async () => {
  await removeImages(PREFIX);
  await rm(work, { recursive: true, force: true });
});

it('a scan cut short by SIGKILL is scan_exception "interrupted" after restart; earlier results stay', { timeout: 900_000 }, async () => {
  const dataDir = join(work, 'data');
  let helper: HelperProcess | null = await startHelper({ dataDir });
  try {
    await waitFor('both images in the inventory', async () => (await helper!.api(`/api/images/${bigId}`)).ok && (await helper!.api(`/api/images/${smallId}`)).ok);

    const first = await apiJson<ScanTask>(helper, '/api/scans', json({ images: [smallId], categories: ['sensitive'] }));
    await waitFor('the small scan', async () => {
      const task = await apiJson<ScanTask>(helper!, `/api/scans/${first.id}`);
      return task.done === task.total;
    });
    const before = await apiJson<{ scanStatus: string; lastScanned: string | null; risks: unknown }>(helper, `/api/images/${smallId}`);
    expect(before.scanStatus).toBe('scanned');
    const smallReports = (await readState(dataDir)).images[smallId]!.scan.reports;
    expect(Array.isArray(smallReports) && smallReports.length).toBe(1);

    await apiJson<ScanTask>(helper, '/api/scans', json({ images: [bigId], categories: ['sensitive', 'malware'] }));
    // Kill only once `scanning` is on disk: that is the state a crash leaves behind.
    await waitFor('the big scan written as scanning', async () => (await readState(dataDir)).images[bigId]?.scan.scanStatus === 'scanning');
    await sleep(500);
    const view = await apiJson<{ scanStatus: string }>(helper, `/api/images/${bigId}`);
    expect(view.scanStatus).toBe('scanning');
    await helper.kill('SIGKILL');
    helper = null;

    const onDisk = await readState(dataDir);
    expect(onDisk.images[bigId]!.scan.scanStatus).toBe('scanning');

    helper = await startHelper({ dataDir });
    const big = await apiJson<{ scanStatus: string; scanError: string | null }>(helper, `/api/images/${bigId}`);
    expect(big).toMatchObject({ scanStatus: 'scan_exception', scanError: 'interrupted' });
    const tasks = await apiJson<{ items: ScanTask[] }>(helper, '/api/scans');
    expect(tasks.items.filter((t) => t.done < t.total)).toEqual([]);
    const small = await apiJson<{ scanStatus: string; lastScanned: string | null; risks: unknown }>(helper, `/api/images/${smallId}`);
    expect(small).toMatchObject({ scanStatus: 'scanned', lastScanned: before.lastScanned, risks: before.risks });

    await helper.stop();
    helper = null;
    const after = await readState(dataDir);
    expect(after.images[bigId]!.scan).toMatchObject({ scanStatus: 'scan_exception', scanReason: 'interrupted' });
    expect(after.images[smallId]!.scan.reports).toEqual(smallReports);
    process.stdout.write(`scan-interrupted: SIGKILL during a scan survived (interrupted scan marked, 1 earlier report kept)\n`);
  } finally {
    await helper?.kill('SIGKILL');
  }
});
