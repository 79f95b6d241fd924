/**
 * Benchmark (issue 15): one helper over several real engines. For 1, 2 and 4 engines
 * (BENCH_ENGINES, default 1,2,4), each holding BENCH_IMAGES images (default 400: half of them
 * the same image IDs on every engine, half its own), all dockerds of the run's own: the
 * helper's start-up until every engine is synced (cold: empty data dir; warm: state known),
 * GET /api/images?limit=500 (all, and one server's), GET /api/servers and /api/dashboard
 * latency, and the helper's resident memory once synced. The one-engine run is the baseline
 * the others are compared with.
 */
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { initialEngines } from '@shipshape/helper/engines/registry.ts';
import { EventBus } from '@shipshape/helper/events/bus.ts';
import { Inventory } from '@shipshape/helper/inventory/inventory.ts';
import { StateStore } from '@shipshape/helper/state/store.ts';
import { parseEngineUrl } from '@shipshape/helper/docker/target.ts';
import { followProgress, waitFor } from '../support/docker.ts';
import { startHelper, type HelperProcess } from '../support/helper-process.ts';
import { PrivateDockerd } from '../support/private-dockerd.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

/** One `docker save` archive holding `count` images (distinct configs) over one shared one-file layer. */
async function manyImages(repo: string, count: number): Promise<Buffer> {
  const layerPack = tar.pack();
  layerPack.entry({ name: 'bench.txt', mode: 0o644, mtime: new Date(0) }, 'shared layer\n');
  layerPack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of layerPack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  const layer = Buffer.concat(chunks);
  const diffId = `sha256:${sha256(layer)}`;
  const layerDir = sha256(diffId);
  const pack = tar.pack();
  const out: Buffer[] = [];
  pack.on('data', (c: unknown) => out.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  pack.entry({ name: `${layerDir}/layer.tar`, mode: 0o644 }, layer);
  const manifest = [];
  for (let i = 0; i < count; i++) {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: { Labels: { 'shipshape.bench': `${repo}:${i}` } }, rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: `bench ${i}` }] }));
    const name = `${sha256(config)}.json`;
    pack.entry({ name, mode: 0o644 }, config);
    manifest.push({ Config: name, RepoTags: [`${repo}:${i}`], Layers: [`${layerDir}/layer.tar`] });
  }
  pack.entry({ name: 'manifest.json', mode: 0o644 }, JSON.stringify(manifest));
  pack.finalize();
  await ended;
  return Buffer.concat(out);
}

async function load(dockerd: PrivateDockerd, archive: Buffer): Promise<void> {
  await followProgress(await dockerd.client.loadImage(Readable.from([archive]), { quiet: true }));
}

async function rssMb(helper: HelperProcess): Promise<number> {
  const status = await readFile(`/proc/${helper.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

type Row = { engines: number; images: number; resyncCold: number; resyncWarm: number; cold: number; warm: number; list: number; listServer: number; servers: number; dashboard: number; rss: number };

/**
 * The resync alone, in this process: every engine's first full sync into an empty state
 * (cold: each image ID inspected once), then again over the state it left (warm: lists only).
 */
async function resync(used: PrivateDockerd[], dir: string, expected: number): Promise<{ cold: number; warm: number }> {
  const setup = { docker: parseEngineUrl(used[0]!.dockerHost), engines: used.slice(1).map((e, i) => ({ name: `e${i + 1}`, target: parseEngineUrl(e.dockerHost) })) };
  const store = await StateStore.open(dir);
  const times: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const inventory = new Inventory(initialEngines(setup, store), store, new EventBus(), { log: () => undefined });
    times.push((await timed(() => inventory.start()))[1]);
    if (store.images().length !== expected) throw new Error(`resync found ${store.images().length} image IDs, expected ${expected}`);
    await inventory.stop();
  }
  await store.flush();
  return { cold: times[0]!, warm: times[1]! };
}

export async function benchEngines(): Promise<void> {
  const perEngine = Number(process.env.BENCH_IMAGES ?? 400);
  const series = (process.env.BENCH_ENGINES ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);
  const most = Math.max(...series);
  const work = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-engines-'));
  const engines = Array.from({ length: most }, (_, i) => new PrivateDockerd(path.join(work, `engine${i}`), { namespace: `shipshape-bench-engines-${process.pid}-${i}` }));
  try {
    const [, setupMs] = await timed(async () => {
      await Promise.all(engines.map((e) => e.start()));
      const shared = await manyImages('shipshape-test/bench-engines-shared', perEngine / 2);
      await Promise.all(engines.map(async (e, i) => {
        await load(e, shared);
        await load(e, await manyImages(`shipshape-test/bench-engines-own${i}`, perEngine / 2));
      }));
    });
    console.log(`engines: ${most} dockerd(s) started and loaded with ${perEngine} images each (half shared) in ${ms(setupMs)}`);

    const rows: Row[] = [];
    for (const count of series) {
      const used = engines.slice(0, count);
      const env = { DOCKER_HOST: used[0]!.dockerHost, SHIPSHAPE_ENGINES: used.slice(1).map((e, i) => `e${i + 1}=${e.dockerHost}`).join(',') };
      const expected = perEngine / 2 + (count * perEngine) / 2;
      const dataDir = path.join(work, `data-${count}`);
      const alone = await resync(used, await mkdtemp(path.join(work, 'resync-')), expected);
      const synced = async (helper: HelperProcess) =>
        waitFor(async () => {
          const body = (await (await helper.api('/api/images?limit=1')).json()) as { total?: number };
          return body.total === expected;
        }, 600_000, 20);
      let [helper, cold] = await timed(async () => {
        const h = await startHelper({ dataDir, env, startTimeoutMs: 600_000 });
        await synced(h);
        return h;
      });
      const latency = async (url: string) => {
        const runs: number[] = [];
        for (let i = 0; i < 15; i++) runs.push((await timed(async () => (await helper.api(url)).arrayBuffer()))[1]);
        return median(runs);
      };
      const row: Row = {
        engines: count,
        images: expected,
        resyncCold: alone.cold,
        resyncWarm: alone.warm,
        cold,
        warm: 0,
        list: await latency('/api/images?limit=500'),
        listServer: await latency(`/api/images?limit=500&server=${count > 1 ? 'e1' : 'local'}`),
        servers: await latency('/api/servers'),
        dashboard: await latency('/api/dashboard'),
        rss: await rssMb(helper),
      };
      await helper.stop();
      [helper, row.warm] = await timed(async () => {
        const h = await startHelper({ dataDir, env, startTimeoutMs: 600_000 });
        await synced(h);
        return h;
      });
      await helper.stop();
      rows.push(row);
      console.log(
        `engines: ${count} engine(s) × ${perEngine} images (${expected} image IDs): resync cold ${ms(row.resyncCold)}, warm ${ms(row.resyncWarm)}; ` +
          `helper process start to synced cold ${ms(row.cold)}, warm ${ms(row.warm)}; ` +
          `GET /api/images?limit=500 ${ms(row.list)} (one server ${ms(row.listServer)}); /api/servers ${ms(row.servers)}; /api/dashboard ${ms(row.dashboard)}; helper RSS ${row.rss.toFixed(0)} MB`,
      );
    }
    const base = rows[0]!;
    for (const row of rows.slice(1)) {
      const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
      console.log(
        `engines: ${row.engines} vs ${base.engines} engine(s): image IDs ${ratio(row.images, base.images)}, resync cold ${ratio(row.resyncCold, base.resyncCold)}, warm ${ratio(row.resyncWarm, base.resyncWarm)}, ` +
          `process start cold ${ratio(row.cold, base.cold)}, warm ${ratio(row.warm, base.warm)}, ` +
          `list ${ratio(row.list, base.list)}, servers ${ratio(row.servers, base.servers)}, RSS ${ratio(row.rss, base.rss)}`,
      );
    }
  } finally {
    await Promise.all(engines.map((e) => e.destroy()));
    await rm(work, { recursive: true, force: true });
  }
}
