import { fstatSync, readSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerSpool } from './layer-spool.ts';

const folder = mkdtempSync(join(tmpdir(), 'shipshape-spool-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const open = new Set<number>();
const isOpen = (fd: number) => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};
function readAll(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const out = Buffer.alloc(size);
  for (let done = 0; done < size; ) done += readSync(fd, out, done, size - done, done);
  return out;
}

describe('LayerSpool', () => {
  it('hands the walk an unlinked file holding every byte of the layer, and closes it after the walk', async () => {
    const spool = new LayerSpool(2, folder);
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    let seen: { fd: number; equal: boolean; listed: string[] } | null = null;
    const result = await spool.spool(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), async (fd) => {
      seen = { fd, equal: readAll(fd).equals(bytes), listed: readdirSync(folder) };
      return 'walked';
    });
    expect(result).toBe('walked');
    expect(seen!.equal).toBe(true);
    // Nothing in the folder even while the walk runs: a killed helper leaves no file behind.
    expect(seen!.listed).toEqual([]);
    expect(isOpen(seen!.fd)).toBe(false);
  });

  it('keeps at most maxLayers files: the next layer is not read until a walk is over', async () => {
    const spool = new LayerSpool(2, folder);
    const releases: Array<() => void> = [];
    const walk = (fd: number) => {
      open.add(fd);
      return new Promise<string>((resolve) => releases.push(() => resolve('done')));
    };
    const third = Readable.from([Buffer.from('third')]);
    const walks = [spool.spool(Readable.from([Buffer.from('one')]), walk), spool.spool(Readable.from([Buffer.from('two')]), walk), spool.spool(third, walk)];
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(2);
    expect(third.readableEnded).toBe(false); // not read: `docker save` waits with it
    releases[0]!();
    await new Promise((r) => setTimeout(r, 100));
    expect(releases.length).toBe(3);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(walks)).toEqual(['done', 'done', 'done']);
    expect([...open].filter(isOpen)).toEqual([]);
  });

  it('a layer waiting for room ends with the cancel, unread; a failed walk still closes its file', async () => {
    const spool = new LayerSpool(1, folder);
    let release!: () => void;
    const first = spool.spool(Readable.from([Buffer.from('one')]), () => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const waitingInput = Readable.from([Buffer.from('two')]);
    const waiting = spool.spool(waitingInput, async () => 'never', controller.signal);
    controller.abort(new Error('cancelled by the test'));
    await expect(waiting).rejects.toThrow('cancelled by the test');
    expect(waitingInput.readableEnded).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    release();
    await first;
    let failedFd = -1;
    await expect(
      spool.spool(Readable.from([Buffer.from('three')]), async (fd) => {
        failedFd = fd;
        throw new Error('walk failed');
      }),
    ).rejects.toThrow('walk failed');
    expect(isOpen(failedFd)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });
});
