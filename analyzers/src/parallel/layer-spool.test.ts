import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerSpool } from './layer-spool.ts';

const parent = mkdtempSync(join(tmpdir(), 'shipshape-spool-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));
const files = () => readdirSync(parent).flatMap((folder) => readdirSync(join(parent, folder)));

describe('LayerSpool', () => {
  it('hands the walk a file holding every byte of the layer, and deletes it after the walk', async () => {
    const spool = new LayerSpool(2, parent);
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    let seen: { path: string; equal: boolean } | null = null;
    const result = await spool.spool(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), async (path) => {
      seen = { path, equal: readFileSync(path).equals(bytes) };
      return 'walked';
    });
    expect(result).toBe('walked');
    expect(seen!.equal).toBe(true);
    expect(existsSync(seen!.path)).toBe(false);
    await spool.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('keeps at most maxLayers files: the next layer is not read until a walk is over', async () => {
    const spool = new LayerSpool(2, parent);
    const releases: Array<() => void> = [];
    const walk = () => new Promise<string>((resolve) => releases.push(() => resolve('done')));
    const third = Readable.from([Buffer.from('third')]);
    const walks = [spool.spool(Readable.from([Buffer.from('one')]), walk), spool.spool(Readable.from([Buffer.from('two')]), walk), spool.spool(third, walk)];
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(2);
    expect(files().length).toBe(2);
    expect(third.readableEnded).toBe(false); // not read: `docker save` waits with it
    releases[0]!();
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(3);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(walks)).toEqual(['done', 'done', 'done']);
    expect(files()).toEqual([]);
    await spool.close();
  });

  it('a layer waiting for room ends with the cancel, unread; a failed walk still deletes its file', async () => {
    const spool = new LayerSpool(1, parent);
    let release!: () => void;
    const first = spool.spool(Readable.from([Buffer.from('one')]), () => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const waiting = spool.spool(Readable.from([Buffer.from('two')]), async () => 'never', controller.signal);
    controller.abort(new Error('cancelled by the test'));
    await expect(waiting).rejects.toThrow('cancelled by the test');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await first;
    await expect(spool.spool(Readable.from([Buffer.from('three')]), async () => Promise.reject(new Error('walk failed')))).rejects.toThrow('walk failed');
    expect(files()).toEqual([]);
    await spool.close();
  });
});
