import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HardLinkStore } from './hardlink-store.ts';

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('shipshape-hardlinks-'));

describe('HardLinkStore', () => {
  it('gives back each kept content byte for byte, views of a larger buffer included', () => {
    const before = leftovers().length;
    const store = new HardLinkStore(1024 * 1024);
    const chunk = Buffer.from('0123456789abcdef');
    store.keep('/a', chunk.subarray(4, 8));
    store.keep('/b', Buffer.alloc(300 * 1024, 'b'));
    store.keep('/empty', Buffer.alloc(0));
    chunk.fill(0); // the stream reuses or frees its chunk: the kept content must not change
    expect(store.get('/a')!.toString()).toBe('4567');
    expect(store.get('/b')!.equals(Buffer.alloc(300 * 1024, 'b'))).toBe(true);
    expect(store.get('/empty')!.length).toBe(0);
    expect(store.get('/missing')).toBeUndefined();
    // The temporary file is unlinked at once: no folder or file stays in the temp dir.
    expect(leftovers().length).toBe(before);
    store.close();
    expect(store.get('/a')).toBeUndefined();
  });

  it('keeps nothing past its budget, counting a per-entry overhead', () => {
    const store = new HardLinkStore(10_000);
    store.keep('/first', Buffer.alloc(6000, 1));
    store.keep('/second', Buffer.alloc(6000, 2)); // over budget: not kept
    for (let i = 0; i < 100; i++) store.keep(`/tiny/${i}`, Buffer.from([i])); // ~270 bytes each with the overhead
    expect(store.get('/first')!.length).toBe(6000);
    expect(store.get('/second')).toBeUndefined();
    const kept = Array.from({ length: 100 }, (_, i) => store.get(`/tiny/${i}`)).filter(Boolean).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(100);
    store.close();
  });

  it('a budget of 0 keeps nothing', () => {
    const store = new HardLinkStore(0);
    store.keep('/a', Buffer.from('x'));
    expect(store.get('/a')).toBeUndefined();
    store.close();
  });
});
