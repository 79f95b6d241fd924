import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LayerCache } from './layer-cache.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'layer-cache-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('LayerCache', () => {
  it('keys by diffID and analyzer versions, and survives a reopen', async () => {
    const dir = await tempDir();
    const cache = await LayerCache.open<{ n: number }>(dir);
    await cache.set('sha256:a', 'dpkg@1', { n: 1 });
    expect(await cache.get('sha256:a', 'dpkg@1')).toEqual({ n: 1 });
    expect(await cache.get('sha256:a', 'dpkg@2')).toBeUndefined();
    const reopened = await LayerCache.open<{ n: number }>(dir);
    expect(await reopened.get('sha256:a', 'dpkg@1')).toEqual({ n: 1 });
  });

  it('evicts the least recently used entries past its size cap', async () => {
    const dir = await tempDir();
    const blob = (c: string) => ({ s: c.repeat(100) });
    const cache = await LayerCache.open<{ s: string }>(dir, 250);
    await cache.set('sha256:1', 'k', blob('a'));
    await cache.set('sha256:2', 'k', blob('b'));
    await cache.get('sha256:1', 'k'); // 1 is now more recent than 2
    await cache.set('sha256:3', 'k', blob('c'));
    expect(cache.has('sha256:1', 'k')).toBe(true);
    expect(cache.has('sha256:2', 'k')).toBe(false);
    expect(cache.has('sha256:3', 'k')).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
  });

  it('forgets layers no image uses any more, files included', async () => {
    const dir = await tempDir();
    const cache = await LayerCache.open<number>(dir);
    await cache.set('sha256:keep', 'k', 1);
    await cache.set('sha256:gone', 'k', 2);
    expect(await cache.retainLayers(new Set(['sha256:keep']))).toBe(1);
    expect(cache.has('sha256:gone', 'k')).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect((await readdir(dir)).filter((f) => f !== 'index.json')).toHaveLength(1);
  });
});
