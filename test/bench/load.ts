/**
 * Benchmark (issue 8, load): a real helper on loopback scans two images while 50 concurrent
 * clients call GET /api/images, GET /api/images/:id and GET /api/events (the stream is read
 * for a few events, then closed). Bounded: 2,000 requests or 60 s, whichever comes first.
 * Prints p50/p99 latency per route (for the event stream: time to its first event) and the
 * error count. Cleans up its images and the helper's data dir.
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ScanTask } from '@shipshape/shared';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImageArchive, removeImages } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/bench-load-';
const CLIENTS = 50;
const MAX_REQUESTS = 2_000;
const MAX_SECONDS = 60;
/** An event-stream client reads this many events (or waits this long) before closing. */
const SSE_EVENTS = 3;
const SSE_HOLD_MS = 1_000;

type Route = 'list' | 'detail' | 'events';
const routes: Route[] = ['list', 'detail', 'events'];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Opens the event stream, returns the time to the first event; reads a few more, then closes. */
async function readEvents(helper: HelperProcess): Promise<number> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SSE_HOLD_MS + 10_000);
  try {
    const res = await helper.api('/api/events', { signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`GET /api/events: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    let firstEventMs = NaN;
    const holdUntil = performance.now() + SSE_HOLD_MS;
    const hold = new Promise<'hold'>((resolve) => setTimeout(() => resolve('hold'), SSE_HOLD_MS));
    for (;;) {
      const next = await Promise.race([reader.read(), hold]);
      if (next === 'hold' || next.done) break;
      text += next.value;
      const events = text.split('\n\n').length - 1;
      if (events >= 1 && Number.isNaN(firstEventMs)) firstEventMs = performance.now() - started;
      if (events >= SSE_EVENTS || performance.now() > holdUntil) break;
    }
    await reader.cancel().catch(() => undefined);
    if (Number.isNaN(firstEventMs)) throw new Error('GET /api/events: no event within the hold time');
    return firstEventMs;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function timedGet(helper: HelperProcess, path: string): Promise<number> {
  const started = performance.now();
  const res = await helper.api(path);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return performance.now() - started;
}

export async function benchLoad(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-bench-load-'));
  let helper: HelperProcess | null = null;
  try {
    await removeImages(PREFIX);
    // Two images of random data (40 MB each) keep the scan busy during the load.
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const archive = join(work, `image-${n}.tar`);
      const files = Array.from({ length: 4 }, (_, i) => ({ path: `/data/${i}.bin`, content: randomBytes(10 * 1024 * 1024) }));
      ids.push((await writeImageArchive({ tags: [`${PREFIX}${n}:1`], layers: [{ files }] }, archive)).imageId);
      await loadImageArchive(archive);
      await rm(archive, { force: true });
    }
    const h = (helper = await startHelper());
    for (const id of ids) {
      for (let i = 0; !(await h.api(`/api/images/${id}`)).ok; i++) {
        if (i > 600) throw new Error(`image ${id} never reached the helper's inventory`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const task = await apiJson<ScanTask>(h, '/api/scans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images: ids, categories: ['sensitive', 'malware'] }),
    });

    const latencies: Record<Route, number[]> = { list: [], detail: [], events: [] };
    const errors: string[] = [];
    let issued = 0;
    const deadline = performance.now() + MAX_SECONDS * 1000;
    const started = performance.now();
    const loadStartedAt = Date.now();
    const client = async (c: number) => {
      for (let i = c; issued < MAX_REQUESTS && performance.now() < deadline; i++) {
        issued++;
        const route = routes[i % routes.length]!;
        try {
          const ms =
            route === 'list' ? await timedGet(h, '/api/images') : route === 'detail' ? await timedGet(h, `/api/images/${ids[i % ids.length]}`) : await readEvents(h);
          latencies[route].push(ms);
        } catch (error) {
          errors.push(`${route}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const elapsed = (performance.now() - started) / 1000;
    const view = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
    // How much of the load ran while the scan was still going (it may finish first).
    const scanSeconds = view.finishedAt ? (Date.parse(view.finishedAt) - loadStartedAt) / 1000 : elapsed;
    const overlap = `scan task ${view.done}/${view.total} done, running for ${Math.max(0, Math.min(scanSeconds, elapsed)).toFixed(1)} s of the load`;

    process.stdout.write(`load: ${CLIENTS} clients, ${issued} requests in ${elapsed.toFixed(1)} s, errors ${errors.length}; ${overlap}\n`);
    for (const route of routes) {
      const sorted = [...latencies[route]].sort((a, b) => a - b);
      const label = route === 'list' ? 'GET /api/images' : route === 'detail' ? 'GET /api/images/:id' : 'GET /api/events (first event)';
      process.stdout.write(`  ${label.padEnd(30)} n=${String(sorted.length).padStart(4)}  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms\n`);
    }
    for (const error of [...new Set(errors)].slice(0, 5)) process.stdout.write(`  error: ${error}\n`);
  } finally {
    await helper?.stop();
    await removeImages(PREFIX);
    await rm(work, { recursive: true, force: true });
  }
}
