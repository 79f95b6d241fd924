/**
 * Crashes lose nothing, scans included. The helper scans three images (two small ones and one
 * of 40 MB of random data, so a scan lasts a second or two) and is killed with SIGKILL at a
 * random moment of the task (the first run times it): during the docker save, the analyzers,
 * the report write or the state write. That is repeated until at least 20 kills landed while the task was still running. After
 * every kill:
 * - state.json is valid, and every report it lists is on disk and readable;
 * - no report that had been listed before the scan started is missing (only the oldest of an
 *   image may be dropped, when its sixth report arrives);
 * - once restarted on the same data dir, every image the dead helper was scanning is
 *   `scan_exception` with the reason "interrupted", and no task claims to be running.
 * The layer cache is emptied between runs so every scan really reads its image. Run on both
 * ways of reading layers: in place from Docker's folders, and docker save (issue 14).
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { KEEP_REPORTS_PER_IMAGE } from '@shipshape/helper/scan/recorder.ts';
import { State } from '@shipshape/helper/state/schema.ts';
import type { ReportIndexEntry, ScanTask } from '@shipshape/shared';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadImageArchive, removeImages } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/interrupted-';
const KILLS_DURING_SCANS = Number(process.env.SHIPSHAPE_KILLS ?? 20);
const MAX_RUNS = KILLS_DURING_SCANS * 3;
const BIG_FILES = 4;
const BIG_FILE_BYTES = 10 * 1024 * 1024;
let work: string;
let imageIds: string[];

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readState(dataDir: string): Promise<State> {
  return State.parse(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')));
}

const reportsOf = (state: State, id: string): ReportIndexEntry[] => (state.images[id]?.scan.reports as ReportIndexEntry[] | undefined) ?? [];

/** Every report the state lists is a readable file of that image. */
async function expectListedReportsOnDisk(dataDir: string, state: State, run: number): Promise<number> {
  let count = 0;
  for (const id of imageIds) {
    for (const entry of reportsOf(state, id)) {
      const text = await readFile(join(dataDir, 'reports', `${entry.id}.json`), 'utf8').catch((e: Error) => `missing: ${e.message}`);
      const report = JSON.parse(text.startsWith('missing') ? 'null' : text) as { image?: { id?: string } } | null;
      expect(report?.image?.id, `run ${run}: report ${entry.id} of ${id} is listed but ${text.slice(0, 80)}`).toBe(id);
      count++;
    }
  }
  return count;
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
  imageIds = [];
  for (const name of ['small-a', 'small-b']) {
    const archive = join(work, `${name}.tar`);
    imageIds.push((await writeImageArchive({ tags: [`${PREFIX}${name}:1`], layers: [{ files: [{ path: '/hello.txt', content: `${name} ${process.pid}` }] }] }, archive)).imageId);
    await loadImageArchive(archive);
  }
  // Random content defeats compression and every analyzer's shortcuts.
  const files = Array.from({ length: BIG_FILES }, (_, i) => ({ path: `/blob/${i}.bin`, content: randomBytes(BIG_FILE_BYTES) }));
  const big = join(work, 'big.tar');
  imageIds.push((await writeImageArchive({ tags: [`${PREFIX}big:1`], layers: [{ files }] }, big)).imageId);
  await loadImageArchive(big);
  await rm(big, { force: true });
}, 600_000);

afterAll(async () => {
  await removeImages(PREFIX);
  await rm(work, { recursive: true, force: true });
});

it.each(['in-place', 'export'] as const)(`SIGKILL at random moments of ${KILLS_DURING_SCANS} scans (layers read %s): state valid, interrupted scans marked, nothing scanned lost`, { timeout: 1_800_000 }, async (layerSource) => {
  const dataDir = join(work, `data-${layerSource}`);
  let helper: HelperProcess | null = null;
  let killsDuringScans = 0;
  let runs = 0;
  let interruptedMarked = 0;
  let maxReportsChecked = 0;
  let scanningOnDisk: string[] = [];
  let listedBefore = new Map<string, string[]>();
  let scanMs: number | null = null;
  try {
    while (killsDuringScans < KILLS_DURING_SCANS && runs < MAX_RUNS) {
      runs++;
      await rm(join(dataDir, 'layer-cache'), { recursive: true, force: true });
      helper = await startHelper({ dataDir, env: { SHIPSHAPE_LAYER_SOURCE: layerSource } });
      const h = helper;
      await waitFor('the images in the inventory', async () => (await Promise.all(imageIds.map((id) => h.api(`/api/images/${id}`)))).every((r) => r.ok));

      // The previous kill's outcome, as the restarted helper reports it.
      for (const id of scanningOnDisk) {
        const view = await apiJson<{ scanStatus: string; scanError: string | null }>(h, `/api/images/${id}`);
        expect(view, `run ${runs}: ${id} was being scanned when the helper died`).toMatchObject({ scanStatus: 'scan_exception', scanError: 'interrupted' });
        interruptedMarked++;
      }
      const tasks = await apiJson<{ items: ScanTask[] }>(h, '/api/scans');
      expect(tasks.items.filter((t) => t.done < t.total)).toEqual([]);

      const started = Date.now();
      const task = await apiJson<ScanTask>(h, '/api/scans', json({ images: imageIds, categories: ['vulnerabilities', 'sensitive', 'malware'] }));
      if (scanMs === null) {
        // The first run measures how long the task takes, so the kills can fall anywhere in it.
        await waitFor('the first task', async () => {
          const t = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
          return t.done === t.total;
        });
        scanMs = Date.now() - started;
      } else {
        await sleep(Math.random() * scanMs);
      }
      const progress = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
      await h.kill('SIGKILL');
      helper = null;
      if (progress.done < progress.total) killsDuringScans++;

      const state = await readState(dataDir);
      maxReportsChecked = Math.max(maxReportsChecked, await expectListedReportsOnDisk(dataDir, state, runs));
      for (const id of imageIds) {
        const now = reportsOf(state, id).map((r) => r.id);
        const before = listedBefore.get(id) ?? [];
        // A finished scan may push out the oldest report; nothing newer than that may go.
        const mustStay = before.slice(0, KEEP_REPORTS_PER_IMAGE - 1);
        expect(mustStay.filter((r) => !now.includes(r)), `run ${runs}: reports of ${id} lost`).toEqual([]);
      }
      listedBefore = new Map(imageIds.map((id) => [id, reportsOf(state, id).map((r) => r.id)]));
      scanningOnDisk = imageIds.filter((id) => state.images[id]?.scan.scanStatus === 'scanning');
    }
    expect(killsDuringScans).toBeGreaterThanOrEqual(KILLS_DURING_SCANS);

    // The last kill's outcome too, and the stored reports are served.
    helper = await startHelper({ dataDir, env: { SHIPSHAPE_LAYER_SOURCE: layerSource } });
    for (const id of scanningOnDisk) {
      expect(await apiJson<{ scanStatus: string; scanError: string | null }>(helper, `/api/images/${id}`)).toMatchObject({ scanStatus: 'scan_exception', scanError: 'interrupted' });
      interruptedMarked++;
    }
    for (const [id, reports] of listedBefore) {
      if (reports.length === 0) continue;
      const latest = await helper.api(`/api/images/${id}/report`);
      expect(latest.status, `latest report of ${id}`).toBe(200);
    }
    await helper.stop();
    helper = null;
    const after = await readState(dataDir);
    for (const id of imageIds) expect(after.images[id]!.scan.scanStatus).not.toBe('scanning');
    expect(interruptedMarked).toBeGreaterThan(0);
    process.stdout.write(
      `scan-interrupted (layers read ${layerSource}): ${runs} SIGKILLs at random moments of a ${scanMs} ms task (${killsDuringScans} while it ran) survived; ${interruptedMarked} interrupted scans marked after restart; up to ${maxReportsChecked} listed reports checked on disk each time\n`,
    );
  } finally {
    await helper?.kill('SIGKILL');
  }
});
