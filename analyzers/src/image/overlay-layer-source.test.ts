import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../registry.ts';
import { buildLayerTar, type LayerSpec } from '../testing/image-archive.ts';
import { eicar } from '../malware/test-files.ts';
import { mixedLayer } from '../testing/mixed-layer.ts';
import { writeOverlayFolder } from '../testing/overlay-folder.ts';
import { combineShards } from '../walker/shards.ts';
import { shardOwner } from '../walker/shard-owner.ts';
import { walkLayer } from '../walker/walk-layer.ts';
import { InPlaceReadError, overlayLayerSource } from './overlay-layer-source.ts';
import { tarLayerSource } from './tar-layer-source.ts';

const work = mkdtempSync(join(tmpdir(), 'shipshape-overlay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const layer = mixedLayer;

const analyzers = defaultAnalyzers();
const ref = { diffId: 'sha256:test', createdBy: null, index: 0 };

async function fromTar(spec: LayerSpec) {
  const tar = await buildLayerTar(spec);
  return walkLayer(tarLayerSource(Readable.from([tar]), 'tar', () => 'here'), { analyzers, layer: ref });
}

describe('overlayLayerSource', () => {
  const dir = join(work, 'layer');
  writeOverlayFolder(dir, layer);

  it('gives the layer result the tar of the same layer gives (whiteouts, opaque folder, hard link, symlink, findings)', async () => {
    const inPlace = await walkLayer(overlayLayerSource(dir, 'folder'), { analyzers, layer: ref });
    expect(inPlace).toEqual(await fromTar(layer));
    expect(inPlace.whiteouts).toEqual(['/etc/old.conf', '/opt/gone']);
    expect(inPlace.opaqueDirs).toEqual(['/var/cache']);
    const kinds = inPlace.findings.map((f) => `${f.kind} ${f.path}`);
    expect(kinds).toEqual(expect.arrayContaining(['sensitive /app/.env', 'malware /tmp/eicar.com', 'package /var/lib/dpkg/status', 'os /etc/os-release']));
  });

  // As the layer workers read a shard (`owns`: other shards' files listed by name, no lstat), and with every entry read in full.
  const sources = [
    ['each shard reading only its own files', (index: number, count: number) => overlayLayerSource(dir, 'folder', shardOwner({ index, count }))],
    ['each shard reading every entry', () => overlayLayerSource(dir, 'folder')],
  ] as const;

  it.each(sources)('walked in two or four shards and combined, gives the same result as one walk (%s)', async (_label, source) => {
    const whole = await walkLayer(overlayLayerSource(dir, 'folder'), { analyzers, layer: ref });
    for (const count of [2, 4]) {
      const shards = await Promise.all(Array.from({ length: count }, (_, index) => walkLayer(source(index, count), { analyzers, layer: ref, shard: { index, count } })));
      expect(shards.reduce((n, s) => n + s.findings.length, 0)).toBe(whole.findings.length);
      expect(combineShards(shards)).toEqual(whole);
    }
  });

  it.each(sources)('a hard link whose first name went to another shard is still analysed, from the shared file (%s)', async (_label, source) => {
    const results = await Promise.all([0, 1, 2, 3].map((index) => walkLayer(source(index, 4), { analyzers, layer: ref, shard: { index, count: 4 } })));
    const owner = results.findIndex((r) => r.findings.some((f) => f.kind === 'package' && f.path === '/var/lib/dpkg/status'));
    expect(owner).toBeGreaterThanOrEqual(0);
    // Four shards: the backup file and its hard link are in different ones for this layer.
    expect(shardOwner({ index: owner, count: 4 })('/var/lib/dpkg/backup')).toBe(false);
    expect(results[owner]!.findings.some((f) => f.path === '/var/lib/dpkg/backup')).toBe(false);
    expect(results[owner]!.notes).toEqual([]);
  });

  it('does not read a sparse file past the analyzers\' caps', async () => {
    const sparse = join(work, 'sparse');
    writeOverlayFolder(sparse, { files: [] });
    writeFileSync(join(sparse, 'huge.bin'), eicar());
    truncateSync(join(sparse, 'huge.bin'), 64 * 1024 ** 3);
    const started = performance.now();
    const result = await walkLayer(overlayLayerSource(sparse, 'sparse'), { analyzers, layer: ref });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.findings).toEqual([]);
    expect(result.notes.some((n) => /\/huge\.bin \(68719476736 bytes\) is above malware/.test(n))).toBe(true);
  });

  it('gives each file exactly its own bytes, read after a larger or smaller one into the kept buffer', async () => {
    const mixed = join(work, 'mixed');
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const files = [
      { path: '/a/big', content: big },
      { path: '/b/small', content: 'bbbbbbbbbb' },
      { path: '/c/empty', content: '' },
      { path: '/d/medium', content: Buffer.alloc(200 * 1024, 'd') },
      { path: '/e/tiny', content: 'e' },
    ];
    writeOverlayFolder(mixed, { files });
    // As the walk hands them to analyzers: each file's bytes, looked at before the next entry.
    const seen = new Map<string, string>();
    const reads = new Set<ArrayBufferLike>();
    for await (const entry of overlayLayerSource(mixed, 'mixed').entries()) {
      if (entry.kind !== 'file') continue;
      const content = await entry.read(Number.MAX_SAFE_INTEGER);
      reads.add(content.buffer);
      seen.set(`/${entry.name}`, createHash('sha256').update(content).digest('hex'));
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')])));
    // One buffer, grown once for the 3 MiB file, served every read (no buffer per file).
    expect(reads.size).toBe(1);
  });

  it("two layers' entry walks share one generator prototype (one object map: the walk's optimised code is kept from layer to layer)", () => {
    const one = overlayLayerSource(join(work, 'a'), 'sha256:a').entries();
    const two = overlayLayerSource(join(work, 'b'), 'sha256:b').entries();
    expect(Object.getPrototypeOf(one)).toBe(Object.getPrototypeOf(two));
  });

  it('fails with "missing" when the layer folder is gone (Docker removed the image)', async () => {
    const walk = walkLayer(overlayLayerSource(join(work, 'no-such-layer'), 'sha256:gone'), { analyzers, layer: ref });
    await expect(walk).rejects.toBeInstanceOf(InPlaceReadError);
    await expect(walk).rejects.toMatchObject({ failure: 'missing', message: expect.stringMatching(/^layer sha256:gone: listing a folder failed: ENOENT: the layer's files are gone/) });
  });

  it('fails with "missing" when a folder disappears while it is walked', async () => {
    const vanishing = join(work, 'vanishing');
    writeOverlayFolder(vanishing, { files: [{ path: '/a/one', content: '1' }, { path: '/b/two', content: '2' }] });
    const source = overlayLayerSource(vanishing, 'sha256:vanishing');
    const seen: string[] = [];
    const walk = (async () => {
      for await (const entry of source.entries()) {
        seen.push(entry.name);
        if (entry.name === 'a/one') rmSync(join(vanishing, 'b'), { recursive: true });
      }
    })();
    await expect(walk).rejects.toMatchObject({ failure: 'missing' });
    expect(seen).toEqual(['a/', 'a/one']);
  });
});
