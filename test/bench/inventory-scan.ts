/**
 * Benchmark (issue 3): the inventory scan against the raw `docker save` stream it reads.
 * For a realistic Debian image and a node_modules-heavy one: bytes, seconds and MB/s of
 * (a) the raw stream drained to nowhere and (b) the inventory scan (OS + packages), their
 * ratio (target ≤ 1.1), and the scan's peak RSS, measured in a child process.
 * Each measurement is the best of RUNS (the machine is shared; the best run is the least disturbed).
 * The scan's own CPU seconds are printed too: unlike wall time they do not depend on what else
 * the machine is doing, and CPU MB/s above the raw stream's MB/s means the scan keeps up.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildImage, docker } from '../support/docker.ts';
import { ensureDebianImage } from '../support/debian-image.ts';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const cacheDir = path.join(here, '..', '.cache', 'bench-node-modules');
const NODE_IMAGE = 'shipshape-test/bench-node-modules:1';
/** A few dozen direct dependencies that pull in a typical large tree (~1000 packages). */
const NPM_PACKAGES = ['webpack@5', 'eslint@8', 'jest@29', 'typescript@5', 'express@4', 'lodash@4', '@babel/core@7', 'react@18', 'react-dom@18', 'axios@1'];
const RUNS = Number(process.env.BENCH_RUNS ?? 2);

export async function ensureNodeModulesImage(base: string): Promise<string> {
  if (await docker.getImage(NODE_IMAGE).inspect().then(() => true, () => false)) return NODE_IMAGE;
  if (!existsSync(path.join(cacheDir, 'node_modules'))) {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...NPM_PACKAGES], { cwd: cacheDir, maxBuffer: 1 << 26 });
  }
  const context = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-node-'));
  try {
    await cp(path.join(cacheDir, 'node_modules'), path.join(context, 'node_modules'), { recursive: true });
    await cp(path.join(cacheDir, 'package.json'), path.join(context, 'package.json'));
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${base}\nCOPY package.json /app/package.json\nCOPY node_modules /app/node_modules\nWORKDIR /app\n`);
    await buildImage(context, NODE_IMAGE, { network: 'none' });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return NODE_IMAGE;
}

async function rawSave(image: string): Promise<{ bytes: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const stream = (await docker.getImage(image).get()) as unknown as Readable;
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function scanInChild(image: string): Promise<{ bytes: number; seconds: number; cpuSeconds: number; packages: number; maxRssKb: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(here, 'inventory-scan-child.ts'), image], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const best = <T extends { seconds: number }>(runs: T[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const mbps = (bytes: number, seconds: number) => (bytes / 1e6 / seconds).toFixed(1);

export async function benchInventoryScan(): Promise<void> {
  const debian = await ensureDebianImage();
  const images = [
    ['Debian 12 (mmdebstrap)', debian.tag],
    ['node_modules-heavy', await ensureNodeModulesImage(debian.tag)],
  ] as const;
  console.log('\ninventory scan vs raw docker save (best of %d runs)', RUNS);
  console.log('image                    bytes        raw s   raw MB/s  scan s  scan MB/s  ratio  scan CPU s  CPU MB/s  packages  scan peak RSS');
  for (const [label, image] of images) {
    const raws: Array<{ bytes: number; seconds: number }> = [];
    const scans: Array<Awaited<ReturnType<typeof scanInChild>>> = [];
    for (let i = 0; i < RUNS; i++) {
      raws.push(await rawSave(image));
      scans.push(await scanInChild(image));
    }
    const raw = best(raws);
    const scan = best(scans);
    const peakRss = Math.max(...scans.map((s) => s.maxRssKb)) / 1024;
    console.log(
      `${label.padEnd(24)} ${String(raw.bytes).padStart(11)}  ${raw.seconds.toFixed(2).padStart(6)}  ${mbps(raw.bytes, raw.seconds).padStart(8)}  ${scan.seconds
        .toFixed(2)
        .padStart(6)}  ${mbps(scan.bytes, scan.seconds).padStart(9)}  ${(scan.seconds / raw.seconds).toFixed(2).padStart(5)}  ${scan.cpuSeconds.toFixed(2).padStart(10)}  ${mbps(scan.bytes, scan.cpuSeconds).padStart(8)}  ${String(scan.packages).padStart(8)}  ${peakRss.toFixed(0)} MB`,
    );
  }
}
