import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { eicar } from '../malware/test-files.ts';
import { defaultAnalyzers } from '../registry.ts';
import { scanImage } from '../scan.ts';
import { scanInPlace } from '../scan-in-place.ts';
import { buildImageArchive, type LayerSpec } from '../testing/image-archive.ts';
import { writeOverlayFolder } from '../testing/overlay-folder.ts';
import { builtinRecipe, builtinRecipeModule } from './default-analyzers.ts';
import { defaultPoolSize, LayerWorkerPool } from './worker-pool.ts';

const pool = new LayerWorkerPool({ size: 2, streamWindowBytes: 64 * 1024, recipeModules: [builtinRecipeModule] });
const work = mkdtempSync(join(tmpdir(), 'shipshape-pool-'));
afterAll(async () => {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
});

const awsKey = ['AKIA', 'Z7QW3RTY8UIOP2LK'].join('');
const layers: LayerSpec[] = [
  {
    createdBy: 'base',
    files: [
      { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { path: '/root/.env', content: `AWS_ACCESS_KEY_ID=${awsKey}\n` },
      { path: '/tmp/eicar.com', content: eicar() },
      { path: '/var/lib/dpkg/status', content: 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n' },
      // Enough bytes that the stream window (64 KiB here) is crossed many times.
      ...Array.from({ length: 40 }, (_, i) => ({ path: `/data/f${String(i).padStart(2, '0')}.bin`, content: Buffer.alloc(100_000, i) })),
    ],
  },
  { createdBy: 'clean up', files: [{ path: '/app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15' }) }], whiteouts: ['/root/.env'], opaqueDirs: ['/data'] },
];
// One mask key here and in the workers (the helper and the CLI hand theirs over the same way).
const maskKey = randomBytes(32);
const recipe = builtinRecipe(undefined, maskKey);

describe('pool size', () => {
  it('is one worker per core, at least 2 and at most 4 unless told; told, at least 2', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultPoolSize(cores))).toEqual([2, 2, 3, 4, 4, 4]);
    expect(new LayerWorkerPool({ size: 9 }).size).toBe(9);
    expect(new LayerWorkerPool({ size: 1 }).size).toBe(2);
  });
});

describe('layer workers', () => {
  it('the worker bundle builds from the sources, native addons (re2, sqlite, xattr) left outside', async () => {
    expect(await pool.available()).toBe(true);
  });

  it('describe names the analyzers a worker builds from a recipe, as they are built here', async () => {
    const described = await pool.describe(builtinRecipe(['sensitive']));
    expect(described).toEqual(defaultAnalyzers({ categories: ['sensitive'] }).map((a) => ({ name: a.name, version: a.version, category: a.category })));
    const names = described.map((a) => a.name);
    expect(names.some((n) => n.startsWith('sensitive/'))).toBe(true);
    expect(names.some((n) => n.startsWith('malware/'))).toBe(false);
  });

  it('describe starts the rest of the pool too, each worker building the set before its first job', async () => {
    const fresh = new LayerWorkerPool({ size: 2, recipeModules: [builtinRecipeModule] });
    try {
      expect(fresh.started).toBe(0);
      await fresh.describe(builtinRecipe(['packages']));
      expect(fresh.started).toBe(2);
      // A job on the warmed worker uses the set it built: same analyzers, same result as here.
      const dir = join(work, 'warm');
      writeOverlayFolder(dir, layers[1]!);
      const [a, b] = await Promise.all([0, 1].map(() => fresh.walkFolder(builtinRecipe(['packages']), { label: 'warm', layer: { diffId: 'sha256:warm', index: 0 }, diffDir: dir, tarSplit: null, shard: { index: 0, count: 1 } })));
      expect(a).toEqual(b);
      expect(JSON.stringify(a)).toContain('lodash');
      expect(fresh.started).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('an export walked in workers gives the report of the same export walked here', async () => {
    const built = await buildImageArchive({ layers, tags: ['pool:1'] });
    const here = await scanImage(Readable.from([built.archive]), { sensitive: { maskKey } });
    const inWorkers = await scanImage(Readable.from([built.archive]), { workers: { pool, recipe } });
    expect(inWorkers).toEqual(here);
    expect(here.sensitive?.map((s) => [s.path, s.inFinalFilesystem])).toEqual([['/root/.env', false]]);
    expect(here.malware?.length).toBeGreaterThan(0);
  });

  it('compressed layers (streamed to the workers, not written to files) give the report of the same export walked here', async () => {
    for (const compression of ['gzip', 'zstd'] as const) {
      const built = await buildImageArchive({ layers, tags: ['pool:1'], layout: 'oci', compression });
      const here = await scanImage(Readable.from([built.archive]), { sensitive: { maskKey } });
      const inWorkers = await scanImage(Readable.from([built.archive]), { workers: { pool, recipe } });
      expect(inWorkers).toEqual(here);
      expect(here.malware?.length).toBeGreaterThan(0);
    }
  });

  it('the image config and history are checked in a worker, with the findings and masks of a check here', async () => {
    const token = ['ghp_', 'Q8v2Lw7Yt4Nc9Rk3Zp6Hs1Jd5Mf0Gb8Xe2Ua'].join('');
    const config = { Env: [`GITHUB_TOKEN=${token}`], history: [{ created_by: `ENV GITHUB_TOKEN=${token}`, empty_layer: true }] };
    const built = await buildImageArchive({ layers, tags: ['pool:1'], config });
    const here = await scanImage(Readable.from([built.archive]), { sensitive: { maskKey } });
    const inWorkers = await scanImage(Readable.from([built.archive]), { workers: { pool, recipe } });
    const fromConfig = inWorkers.sensitive?.filter((s) => s.path.startsWith('config:') || s.path.startsWith('history:'));
    expect(fromConfig?.length).toBeGreaterThan(0);
    expect(JSON.stringify(inWorkers)).not.toContain(token);
    expect(inWorkers).toEqual(here);
  });

  it('the same layers read in place (two shards for the first) give the same report as the export', async () => {
    const built = await buildImageArchive({ layers, tags: ['pool:1'] });
    const exported = await scanImage(Readable.from([built.archive]), { sensitive: { maskKey } });
    const folders = layers.map((layer, i) => {
      const diffDir = join(work, `layer${i}`);
      writeOverlayFolder(diffDir, layer);
      return { diffId: built.diffIds[i]!, diffDir, tarSplit: null, bytes: i === 0 ? 200 * 1024 * 1024 : 1 };
    });
    const config = built.config as unknown as Parameters<typeof scanInPlace>[0]['config'];
    const inPlace = await scanInPlace({ imageId: built.imageId, tags: ['pool:1'], config: { ...config, config: config.config ?? {} }, layers: folders, workers: { pool, recipe }, sensitive: { maskKey } });
    // The export knows each layer's tar size; without Docker's tar-split record the folder does not.
    const sizeless = { ...exported, image: { ...exported.image, layers: exported.image.layers.map(({ size: _size, ...l }) => l) } };
    expect(inPlace).toEqual(sizeless);
  });

  it('cancel ends a walk at once, and the pool goes on with fresh workers', async () => {
    const big = join(work, 'big');
    writeOverlayFolder(big, { files: Array.from({ length: 100 }, (_, i) => ({ path: `/d/${i}.txt`, content: `password = "${'x'.repeat(20)}${i}"\n`.repeat(20_000) })) });
    const controller = new AbortController();
    const walk = pool.walkFolder(recipe, { label: 'big', layer: { diffId: 'big', index: 0 }, diffDir: big, tarSplit: null, shard: { index: 0, count: 1 } }, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 300);
    // The walk ends with the cancel's reason, not with a result: it was stopped, not waited for.
    await expect(walk).rejects.toThrow('cancelled by the test');
    const small = join(work, 'small');
    writeOverlayFolder(small, { files: [{ path: '/etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' }] });
    const result = await pool.walkFolder(recipe, { label: 'small', layer: { diffId: 'small', index: 0 }, diffDir: small, tarSplit: null, shard: { index: 0, count: 1 } });
    expect(result.findings.map((f) => f.kind)).toEqual(['os']);
  });
});
