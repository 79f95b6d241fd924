/**
 * Benchmark (issue 6): the scan engine through a real helper process.
 * - first full scan (POST /api/scans → scanned, nothing cached) vs the raw `docker save`
 *   stream drained to nowhere: ratio (target ≤ 1.1);
 * - re-scan of the unchanged image: fraction of the first (target < 5 %; no docker save);
 * - re-match of 100 scanned images after a data update (target < 2 s): the images are LABEL
 *   variants of the node_modules-heavy image (else Debian), so each has a full inventory;
 * - the helper's peak RSS over all of it (VmHWM of its process tree; target < 300 MB).
 */
import { readFile, readdir } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { DataUpdateStatus, ScanTask } from '@shipshape/shared';
import { ensureDebianImage } from '../support/debian-image.ts';
import { buildImage, docker } from '../support/docker.ts';
import { startHelper, type HelperProcess } from '../support/helper-process.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ADVISORIES = path.join(here, '..', 'fixtures', 'advisories');
/** Built by the inventory-scan benchmark (`pnpm bench inventory-scan`). */
const NODE_IMAGE = 'shipshape-test/bench-node-modules:1';
const VARIANTS = 100;
const VARIANT_PREFIX = 'shipshape-test/bench-scan-engine';
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
/** `BENCH_SCAN_ENGINE=rematch` runs only the re-match part (the first scans take minutes). */
const ONLY_REMATCH = process.env.BENCH_SCAN_ENGINE === 'rematch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function rawSave(image: string): Promise<number> {
  const started = performance.now();
  const stream = (await docker.getImage(image).get()) as unknown as Readable;
  for await (const _chunk of stream);
  return (performance.now() - started) / 1000;
}

async function scanSeconds(helper: HelperProcess, imageIds: string[]): Promise<{ seconds: number; task: ScanTask }> {
  const started = performance.now();
  const task = (await (await helper.api('/api/scans', json({ images: imageIds }))).json()) as ScanTask;
  for (;;) {
    const view = (await (await helper.api(`/api/scans/${task.id}`)).json()) as ScanTask;
    if (view.done === view.total) {
      if (view.succeeded !== view.total) throw new Error(`scan failed: ${JSON.stringify(view.images.map((i) => i.reason))}`);
      return { seconds: (performance.now() - started) / 1000, task: view };
    }
    // A task view of 100 images is ~100 KB: poll at a UI's pace, not in a loop that competes with the scan.
    await sleep(imageIds.length > 1 ? 250 : 20);
  }
}

async function dataUpdate(helper: HelperProcess): Promise<NonNullable<DataUpdateStatus['lastResult']>> {
  await helper.api('/api/data-update', json({ source: ADVISORIES }));
  for (;;) {
    const status = (await (await helper.api('/api/data-update')).json()) as DataUpdateStatus;
    if (!status.running && status.lastResult) return status.lastResult;
    await sleep(50);
  }
}

/** Peak resident set (VmHWM) of the process and its descendants, in MB. */
async function peakRssMb(pid: number): Promise<number> {
  let peak = 0;
  const visit = async (p: number) => {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peak = Math.max(peak, kb / 1024);
    for (const task of await readdir(`/proc/${p}/task`).catch(() => [] as string[])) {
      const children = await readFile(`/proc/${p}/task/${task}/children`, 'utf8').catch(() => '');
      for (const child of children.split(/\s+/).filter(Boolean)) await visit(Number(child));
    }
  };
  await visit(pid);
  return peak;
}

/** LABEL-only variants: new image IDs over the same layers (cheap to build, cached by tag). */
async function ensureVariants(base: string): Promise<string[]> {
  const context = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-variants-'));
  const ids: string[] = [];
  try {
    for (let i = 0; i < VARIANTS; i++) {
      const tag = `${VARIANT_PREFIX}-${i}:1`;
      const existing = await docker.getImage(tag).inspect().catch(() => null);
      if (existing && existing.Config?.Labels?.['shipshape.bench.base'] === base) {
        ids.push(existing.Id);
        continue;
      }
      await writeFile(path.join(context, 'Dockerfile'), `FROM ${base}\nLABEL shipshape.bench.base=${base} shipshape.bench.variant=${i}\n`);
      await buildImage(context, tag, { network: 'none' });
      ids.push((await docker.getImage(tag).inspect()).Id);
    }
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return ids;
}

export async function benchScanEngine(): Promise<void> {
  const debian = await ensureDebianImage();
  const hasNodeImage = await docker.getImage(NODE_IMAGE).inspect().then(() => true, () => false);
  const images: Array<[string, string]> = [['Debian 12 (mmdebstrap)', debian.tag]];
  if (hasNodeImage) images.push(['node_modules-heavy', NODE_IMAGE]);
  else console.log(`(${NODE_IMAGE} missing: run 'pnpm bench inventory-scan' first to include it)`);

  console.log('\nscan engine through the helper (best of %d runs; each first scan on an empty data dir)', RUNS);
  console.log('image                    raw save s  first scan s  ratio  re-scan s  fraction  docker save skipped');
  let peak = 0;
  for (const [label, image] of ONLY_REMATCH ? [] : images) {
    const id = (await docker.getImage(image).inspect()).Id;
    const raws: number[] = [];
    const firsts: number[] = [];
    const rescans: number[] = [];
    let skipped = true;
    for (let i = 0; i < RUNS; i++) {
      raws.push(await rawSave(image));
      const helper = await startHelper();
      try {
        await dataUpdate(helper);
        firsts.push((await scanSeconds(helper, [id])).seconds);
        const again = await scanSeconds(helper, [id]);
        rescans.push(again.seconds);
        skipped &&= again.task.images[0]!.dockerSaveSkipped;
        peak = Math.max(peak, await peakRssMb(helper.child.pid!));
      } finally {
        await helper.stop();
      }
    }
    const raw = Math.min(...raws);
    const first = Math.min(...firsts);
    const rescan = Math.min(...rescans);
    console.log(
      `${label.padEnd(24)} ${raw.toFixed(2).padStart(10)}  ${first.toFixed(2).padStart(12)}  ${(first / raw).toFixed(2).padStart(5)}  ${rescan.toFixed(3).padStart(9)}  ${((rescan / first) * 100).toFixed(1).padStart(7)}%  ${skipped ? 'yes' : 'NO'}`,
    );
  }

  const base = hasNodeImage ? NODE_IMAGE : debian.tag;
  const variants = await ensureVariants(base);
  const helper = await startHelper();
  try {
    await dataUpdate(helper);
    const scan = await scanSeconds(helper, variants);
    const update = await dataUpdate(helper);
    peak = Math.max(peak, await peakRssMb(helper.child.pid!));
    const packages = scan.task.images.length;
    console.log(
      `\nre-match after a data update: ${update.rematched} scanned images (${path.basename(base)} variants, ${packages} scanned in ${scan.seconds.toFixed(1)} s from the layer cache): ` +
        `re-match ${update.phaseSeconds.rematch?.toFixed(2)} s (target < 2 s), advisory import ${update.phaseSeconds.vulndb?.toFixed(2)} s, whole update ${((Date.parse(update.finishedAt) - Date.parse(update.startedAt)) / 1000).toFixed(2)} s`,
    );
  } finally {
    await helper.stop();
  }
  console.log(`helper peak RSS (VmHWM, process tree): ${peak.toFixed(0)} MB (target < 300 MB)`);
}
