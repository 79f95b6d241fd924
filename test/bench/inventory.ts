/**
 * Benchmark (issue 2): helper start time (to the first answered /api/health, which includes
 * the first full inventory sync), with N extra images on the host, cold (empty data dir) and
 * warm (state already known); GET /api/images latency over all images; `shipshape images`.
 * N = BENCH_IMAGES (default 100) one-layer images, loaded for the run and removed after.
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { docker, loadImageArchive, removeImages } from '../support/docker.ts';
import { startHelper } from '../support/helper-process.ts';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PREFIX = 'shipshape-test/bench-inventory-';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (n: number) => `${Math.round(n)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

export async function benchInventory(): Promise<void> {
  const count = Number(process.env.BENCH_IMAGES ?? 100);
  const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-inventory-'));
  try {
    await removeImages(PREFIX);
    const [, loadMs] = await timed(async () => {
      for (let i = 0; i < count; i++) {
        const file = path.join(dir, `${i}.tar`);
        await writeImageArchive({ tags: [`${PREFIX}${i}:1`], layers: [{ files: [{ path: `/bench/${i}`, content: `image ${i}\n` }] }] }, file);
        await loadImageArchive(file);
      }
    });
    const total = (await docker.listImages()).length;
    console.log(`inventory: ${count} images loaded in ${ms(loadMs)}; the host now has ${total} images`);

    const dataDir = path.join(dir, 'data');
    const starts: { cold: number; warm: number[] } = { cold: 0, warm: [] };
    let [helper, startMs] = await timed(() => startHelper({ dataDir }));
    starts.cold = startMs;
    const latencies: number[] = [];
    let listed = 0;
    for (let i = 0; i < 20; i++) {
      const [body, took] = await timed(async () => (await (await helper.api('/api/images?limit=500')).json()) as { total: number });
      listed = body.total;
      latencies.push(took);
    }
    const [, sortedMs] = await timed(() => helper.api('/api/images?limit=500&sort=risk&q=bench'));
    await helper.stop();
    for (let i = 0; i < 3; i++) {
      [helper, startMs] = await timed(() => startHelper({ dataDir }));
      starts.warm.push(startMs);
      await helper.stop();
    }
    const [, cliMs] = await timed(() => run(path.join(repo, 'node_modules/.bin/tsx'), ['helper/src/cli/main.ts', 'images', '--json', '--data-dir', dataDir], { cwd: repo, maxBuffer: 64 << 20 }));

    console.log(`inventory: helper start, ${total} images: cold (empty data dir, full sync) ${ms(starts.cold)}, warm (median of 3) ${ms(median(starts.warm))}`);
    console.log(`inventory: GET /api/images?limit=500 (${listed} images): median ${ms(median(latencies))}, max ${ms(Math.max(...latencies))}; sorted by risk + filtered ${ms(sortedMs)}`);
    console.log(`inventory: pnpm shipshape images --json (process start, Docker listing, output): ${ms(cliMs)}`);
  } finally {
    await removeImages(PREFIX);
    await rm(dir, { recursive: true, force: true });
  }
}
