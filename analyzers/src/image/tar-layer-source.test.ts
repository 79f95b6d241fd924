import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildLayerTar } from '../testing/image-archive.ts';
import { tarLayerSource } from './tar-layer-source.ts';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The tar in chunks of `size` bytes, as a layer stream arrives. */
function chunked(tar: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < tar.length; at += size) chunks.push(Buffer.from(tar.subarray(at, at + size)));
  return Readable.from(chunks);
}

describe('tarLayerSource', () => {
  it("two layers' entry walks share one generator prototype (one object map: the walk's optimised code is kept from layer to layer)", () => {
    const one = tarLayerSource(Readable.from([]), 'sha256:a', () => '').entries();
    const two = tarLayerSource(Readable.from([]), 'sha256:b', () => '').entries();
    expect(Object.getPrototypeOf(one)).toBe(Object.getPrototypeOf(two));
  });

  it('gives each file exactly its own bytes, contents of many chunks sharing the kept buffer', async () => {
    const files = [
      { path: '/a/big', content: Buffer.alloc(300 * 1024, 'a') },
      { path: '/b/one-chunk', content: 'bbbb' },
      { path: '/c/smaller', content: Buffer.alloc(40 * 1024, 'c') },
      { path: '/d/empty', content: '' },
      { path: '/e/capped', content: Buffer.alloc(50 * 1024, 'e') },
    ];
    const source = tarLayerSource(chunked(await buildLayerTar({ files }), 16 * 1024), 'test', () => 'here');
    const seen = new Map<string, string>();
    const keptBuffers = new Set<ArrayBufferLike>();
    for await (const entry of source.entries()) {
      if (entry.kind !== 'file') continue;
      const capped = entry.name.endsWith('capped');
      // As the walk hands them to analyzers: each file's bytes, looked at before the next entry.
      const content = await entry.read(capped ? 20_000 : Number.MAX_SAFE_INTEGER);
      if (content.length > 16 * 1024) keptBuffers.add(content.buffer);
      seen.set(`/${entry.name.replace(/^\.?\//, '')}`, sha256(content));
    }
    expect(Object.fromEntries(seen)).toEqual(
      Object.fromEntries(files.map((f) => [f.path, sha256(f.path.endsWith('capped') ? Buffer.from(f.content).subarray(0, 20_000) : f.content)])),
    );
    expect(keptBuffers.size).toBe(1);
  });
});
