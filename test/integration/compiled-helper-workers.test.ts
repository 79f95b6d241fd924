/**
 * The compiled helper (`npm run build` in a fresh clone, then `node dist/shipshape.js serve`, as
 * `npm start` runs it) analyses layers in worker threads, as the helper from the sources does:
 * the same report for an image with dpkg packages, a private key and EICAR, the analysis's CPU
 * spent off the main thread (per-thread CPU from /proc), and /api/health answering while the
 * scan runs (its worst latency is printed, not asserted: speed is the benchmarks' business).
 * The compiled CLI's `scan --input` walks the layers in workers too, and the compiled data-update
 * worker serves the re-match's report writes.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar } from '@shipshape/analyzers/malware/test-files.ts';
import { defaultPoolSize } from '@shipshape/analyzers/parallel/worker-pool.ts';
import type { ScanReport, ScanTask } from '@shipshape/shared';
import { cutFinding, type WriteReply, type WriteRequest } from '@shipshape/helper/scan/rematch/report-writer-protocol.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { buildImage, removeImages } from '../support/docker.ts';
import { freshClone } from '../support/fresh-clone.ts';
import { apiJson, dataDirWithMaskKey, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { watchThreads, type ThreadWork } from '../support/thread-cpu.ts';

const exec = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PREFIX = 'shipshape-test/compiled-workers';
const TAG = `${PREFIX}:risky`;
// Assembled at run time so the repository holds no literal key.
const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACDxEYg2yjkz5cuVvCYw1ATrK8kG5zGyCq6VTiP3bHx3sAAAAJi2oH4ctqB+', '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');

let work = '';
let compiled = '';
let imageId = '';
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface ScanRun {
  report: ScanReport;
  task: ScanTask;
  threads: ThreadWork;
  /** Worst /api/health round trip while the scan ran, ms. */
  worstHealthMs: number;
  healthChecks: number;
}

/** One full scan through the API, /api/health asked every 20 ms until it ends. */
async function scanWhileProbing(helper: HelperProcess): Promise<ScanRun> {
  const watch = watchThreads(helper.child.pid!);
  const task = await apiJson<ScanTask>(helper, '/api/scans', json({ images: [imageId], categories: ['vulnerabilities', 'sensitive', 'malware'] }));
  let finished: ScanTask | null = null;
  let worstHealthMs = 0;
  let healthChecks = 0;
  const probe = (async () => {
    while (!finished) {
      const asked = performance.now();
      const res = await fetch(`${helper.url}/api/health`);
      expect(res.status).toBe(200);
      await res.json();
      worstHealthMs = Math.max(worstHealthMs, performance.now() - asked);
      healthChecks++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  for (let i = 0; !finished; i++) {
    const view = await apiJson<ScanTask>(helper, `/api/scans/${task.id}`);
    if (view.done === view.total) finished = view;
    else if (i > 3000) throw new Error(`the scan did not finish: ${JSON.stringify(view)}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
  await probe;
  const threads = watch.stop();
  const report = await apiJson<ScanReport>(helper, `/api/images/${imageId}/report?format=json`);
  return { report, task: finished, threads, worstHealthMs, healthChecks };
}

async function withHelper<T>(options: Parameters<typeof startHelper>[0], use: (helper: HelperProcess) => Promise<T>): Promise<T> {
  const helper = await startHelper(options);
  try {
    return await use(helper);
  } finally {
    await helper.stop();
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-compiled-workers-'));
  const clone = await freshClone(repoRoot, join(work, 'shipshape'));
  const build = await exec('npm', ['run', 'build'], { cwd: clone, maxBuffer: 64 << 20, timeout: 600_000 }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`npm run build failed:\n${error.stdout}\n${error.stderr}`);
  });
  expect(build.stderr).toMatch(/dist\/layer-worker\.js/);
  compiled = join(clone, 'dist', 'shipshape.js');

  await removeImages(PREFIX);
  const debian = await ensureDebianImage();
  const context = join(work, 'context');
  await mkdir(context);
  await writeFile(join(context, 'id_ed25519'), KEY, { mode: 0o600 });
  await writeFile(join(context, 'eicar.com'), eicar());
  await writeFile(join(context, 'Dockerfile'), `FROM ${debian.tag}\nCOPY id_ed25519 /root/.ssh/id_ed25519\nCOPY eicar.com /tmp/eicar.com\n`);
  imageId = await buildImage(context, TAG, { network: 'none' });
}, 900_000);

afterAll(async () => {
  await removeImages(PREFIX).catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the compiled helper and CLI analyse layers in worker threads', () => {
  it('node dist/shipshape.js serve: the same report as the helper from the sources, the analysis off the event loop, /api/health answered during the scan', async () => {
    // One installation's mask key for both: a secret's fingerprint is keyed per data dir.
    const fromSources = await withHelper({ dataDir: dataDirWithMaskKey(join(work, 'data-sources')) }, async (helper) => ({ ...(await scanWhileProbing(helper)), log: helper.output() }));
    // Three workers (SHIPSHAPE_SCAN_WORKERS): the setting reaches the pool, and the report is still the same.
    const fromDist = await withHelper({ compiled, dataDir: dataDirWithMaskKey(join(work, 'data-dist')), env: { SHIPSHAPE_SCAN_WORKERS: '3' } }, async (helper) => {
      const run = await scanWhileProbing(helper);
      return { ...run, log: helper.output() };
    });

    expect(fromDist.log).toMatch(/layers are analysed in up to 3 worker threads \(.*\/dist\/layer-worker\.js\)/);
    expect(fromSources.log).toContain(`layers are analysed in up to ${defaultPoolSize()} worker threads`); // one per core, 2 to 4
    expect(fromDist.task).toMatchObject({ state: 'finished', succeeded: 1 });
    // The report: Debian's dpkg packages, the key and EICAR, each in the layer that added it.
    const { report } = fromDist;
    expect(report.packages.filter((p) => p.purl.startsWith('pkg:deb/debian/')).length).toBeGreaterThan(50);
    expect(report.sensitive?.map((s) => s.path)).toContain('/root/.ssh/id_ed25519');
    expect(report.malware?.map((m) => m.path)).toContain('/tmp/eicar.com');
    expect(report).toEqual(fromSources.report);

    // Who did the work: with the analysis on the event loop, the main thread's CPU would be
    // most of the scan's; in workers it is the other threads'.
    for (const [name, run] of [['sources', fromSources], ['dist', fromDist]] as const) {
      process.stderr.write(
        `[compiled-helper-workers] ${name}: worst /api/health ${run.worstHealthMs.toFixed(0)} ms over ${run.healthChecks} checks during the scan; user CPU main thread ${run.threads.main.toFixed(2)} s, other threads ${run.threads.others.toFixed(2)} s (${run.threads.busyThreads} busy threads)\n`,
      );
    }
    expect(fromDist.threads.others).toBeGreaterThan(fromDist.threads.main);
    expect(fromDist.healthChecks).toBeGreaterThan(1);
  });

  it("dist/vulndb-worker.js as the re-match's report writer: writes the report the protocol describes", async () => {
    const layer = { diffId: 'sha256:aa', createdBy: 'FROM debian' };
    const own = { diffId: 'sha256:bb', createdBy: 'RUN npm ci' };
    const canonical = { id: 'CVE-2024-1', summary: 'ünïcode "quoted"', layer, tags: ['fixable'] };
    const stored = { image: { id: 'sha256:img' }, packages: [{ name: 'openssl', layer }], vulnerabilities: [], notes: [] };
    const expected = { ...stored, vulnerabilities: [{ ...canonical, layer: own }, canonical], notes: ['re-matched'] };
    const path = join(work, 'written-by-dist.json');
    const request: WriteRequest = {
      seq: 1,
      path,
      stored: new TextEncoder().encode(JSON.stringify(stored)),
      canonical: [cutFinding(JSON.stringify(canonical), JSON.stringify(layer))!],
      parts: [
        { key: 'image', from: 'stored' },
        { key: 'packages', from: 'stored' },
        { key: 'vulnerabilities', findings: { refs: Int32Array.from([0, 0]), layerOf: Int32Array.from([0, 1]), layers: [JSON.stringify(own), JSON.stringify(layer)], whole: [] } },
        { key: 'notes', json: JSON.stringify(expected.notes) },
      ],
    };
    const worker = new Worker(join(dirname(compiled), 'vulndb-worker.js'), { workerData: { kind: 'report-writer' } });
    try {
      const reply = await new Promise<WriteReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(request);
      });
      expect(reply).toEqual({ seq: 1 });
      expect(await readFile(path, 'utf8')).toBe(JSON.stringify(expected));
    } finally {
      await worker.terminate();
    }
  });

  it("ships the built-in secret rules with their proved plans, so the compiled workers prove none of them at run time", async () => {
    const rules = join(dirname(compiled), 'assets', 'analyzers', 'src', 'sensitive', 'rules');
    const source = join(repoRoot, 'analyzers', 'src', 'sensitive', 'rules');
    // Without the plans file the rules still work, only each worker proves them again: nothing else would show it.
    expect(await readFile(join(rules, 'builtin-plans.json'), 'utf8')).toBe(await readFile(join(source, 'builtin-plans.json'), 'utf8'));
    expect(await readFile(join(rules, 'builtin.toml'), 'utf8')).toBe(await readFile(join(source, 'builtin.toml'), 'utf8'));
  });

  it('node dist/shipshape.js scan --input IMAGE.tar: layers walked in worker threads, same findings', async () => {
    const archive = join(work, 'risky.tar');
    await exec('docker', ['save', '-o', archive, TAG]);
    const output = join(work, 'cli-report.json');
    const child = spawn(process.execPath, [compiled, 'scan', '--input', archive, '--categories', 'packages,sensitive,malware', '--data-dir', join(work, 'cli-data'), '--output', output, '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watch = watchThreads(child.pid!);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const threads = watch.stop();
    expect(code, stderr).toBe(0);
    process.stderr.write(`[compiled-helper-workers] cli scan --input: user CPU main thread ${threads.main.toFixed(2)} s, other threads ${threads.others.toFixed(2)} s (${threads.busyThreads} busy threads)\n`);
    const report = JSON.parse(await readFile(output, 'utf8')) as ScanReport;
    expect(report.layerSource).toBe('export');
    expect(report.packages.filter((p) => p.purl.startsWith('pkg:deb/debian/')).length).toBeGreaterThan(50);
    expect(report.sensitive?.map((s) => s.path)).toContain('/root/.ssh/id_ed25519');
    expect(report.malware?.map((m) => m.path)).toContain('/tmp/eicar.com');
    expect(threads.others).toBeGreaterThan(threads.main);
  });
});
