import { spawn } from 'node:child_process';
import { readlinkSync, readSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerSpool, writeBatched, type SpooledLayer } from './layer-spool.ts';

const parent = mkdtempSync(join(tmpdir(), 'shipshape-spool-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));
const onDisk = () => readdirSync(parent, { recursive: true });
/** Descriptors of this process open on a layer file (named or not: Linux shows `… (deleted)`). */
const openLayerFiles = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(parent);
    } catch {
      return false;
    }
  });

function readWhole(layer: SpooledLayer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(layer.fd, buffer, 0, buffer.length, at);
    if (n === 0) return Buffer.concat(parts);
    parts.push(buffer.subarray(0, n));
    at += n;
  }
}

describe('LayerSpool', () => {
  it('hands the walk an open file holding every byte of the layer, with no name on disk, and closes it after the walk', async () => {
    const spool = new LayerSpool(2, parent);
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    let seen: { open: number; equal: boolean; path: string | null; onDisk: unknown[] } | null = null;
    const result = await spool.spool(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), async (layer) => {
      seen = { open: openLayerFiles().length, equal: readWhole(layer).equals(bytes), path: layer.path, onDisk: onDisk() };
      return 'walked';
    });
    expect(result).toBe('walked');
    expect(seen!.equal).toBe(true);
    // Nothing to leave behind, whenever the process ends: neither the file nor its folder has a name.
    expect(seen!.path).toBeNull();
    expect(seen!.onDisk).toEqual([]);
    expect(seen!.open).toBe(1);
    expect(openLayerFiles()).toEqual([]);
    await spool.close();
    expect(onDisk()).toEqual([]);
  });

  it('keeps at most maxLayers files: the next layer is not read until a walk is over', async () => {
    const spool = new LayerSpool(2, parent);
    const releases: Array<() => void> = [];
    const held: string[] = [];
    const walk = (layer: SpooledLayer) =>
      new Promise<string>((resolve) => {
        held.push(readWhole(layer).toString());
        releases.push(() => resolve('done'));
      });
    const third = Readable.from([Buffer.from('third')]);
    const walks = [spool.spool(Readable.from([Buffer.from('one')]), walk), spool.spool(Readable.from([Buffer.from('two')]), walk), spool.spool(third, walk)];
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(2);
    expect(held.sort()).toEqual(['one', 'two']);
    expect(third.readableEnded).toBe(false); // not read: `docker save` waits with it
    releases[0]!();
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(3);
    expect(held[2]).toBe('third');
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(walks)).toEqual(['done', 'done', 'done']);
    expect(onDisk()).toEqual([]);
    await spool.close();
  });

  it('a layer waiting for room ends with the cancel, unread; a failed walk or a failed stream still closes its file', async () => {
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
    const broken = new Readable({ read() { this.destroy(new Error('export broke')); } });
    await expect(spool.spool(broken, async () => 'never')).rejects.toThrow('export broke');
    expect(onDisk()).toEqual([]);
    expect(openLayerFiles()).toEqual([]);
    await spool.close();
  });

  it('writes the stream a batch of chunks at a time, and completes a short write chunk by chunk', async () => {
    const file = Buffer.alloc(5 * 1024 * 1024);
    const calls: string[] = [];
    // Each writev writes only part of what it is given (a quarter, cut mid-chunk): the rest must follow in order.
    const handle = {
      async writev(buffers: Buffer[], position: number) {
        const all = Buffer.concat(buffers);
        const n = Math.floor(all.length / 4) + 7;
        all.copy(file, position, 0, n);
        calls.push(`writev ${buffers.length}`);
        return { bytesWritten: n, buffers };
      },
      async write(buffer: Buffer, offset: number, length: number, position: number) {
        buffer.copy(file, position, offset, offset + length);
        calls.push('write');
        return { bytesWritten: length, buffer };
      },
    } as unknown as Parameters<typeof writeBatched>[0];
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
    await writeBatched(handle, Readable.from(chunks));
    const expected = Buffer.concat(chunks);
    expect(file.subarray(0, expected.length).equals(expected)).toBe(true);
    expect(calls.filter((c) => c.startsWith('writev')).length).toBe(3); // 16 + 16 + 8 chunks
    expect(calls).toContain('write');
  });

  it('a process killed mid-walk leaves nothing in the temp folder', async () => {
    // A child spools a layer and is SIGKILLed while its walk runs (as a helper killed mid-scan).
    const source = `
      import { Readable } from 'node:stream';
      import { LayerSpool } from ${JSON.stringify(new URL('./layer-spool.ts', import.meta.url).pathname)};
      const spool = new LayerSpool(1, ${JSON.stringify(parent)});
      void spool.spool(Readable.from([Buffer.alloc(1024 * 1024, 1)]), () => { process.stdout.write('walking\\n'); return new Promise(() => {}); });
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('walking') && resolve());
      child.once('exit', (code) => reject(new Error(`the child ended before walking (code ${code})`)));
    });
    expect(onDisk()).toEqual([]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(onDisk()).toEqual([]);
  });
});
