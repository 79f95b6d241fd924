/**
 * The layers of an export, written to files as they stream by, so that the workers read them
 * at their own pace and several layers are analysed at once. Streamed straight to a worker
 * (walkStream), the archive, which holds one layer after the other, could only move as fast
 * as the one worker walking the current layer: the other waited for the next layer, and every
 * chunk crossed threads as a fresh buffer that only a garbage collection gave back. A file
 * costs page cache, not the helper's memory, and at most `maxLayers` files exist at a time:
 * beyond that the archive waits (and `docker save` with it), so the disk used stays bounded.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { waitInLine } from './wait-in-line.ts';

export class LayerSpool {
  private folder: Promise<string> | null = null;
  private files = 0;
  private count = 0;
  private readonly waiting: Array<(value: void) => void> = [];

  /** `maxLayers`: layer files at most at a time (written, waiting or being walked); `parent`: where the scan's folder goes. */
  constructor(
    private readonly maxLayers: number,
    private readonly parent: string = tmpdir(),
  ) {}

  /**
   * Writes `input` (one uncompressed layer) to a file, then `walk(path)`, then deletes the
   * file. While `maxLayers` files exist, waits before reading `input`.
   */
  async spool<T>(input: Readable, walk: (path: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.slot(signal);
    let path: string | null = null;
    try {
      path = join(await this.scanFolder(), `layer-${this.count++}.tar`);
      await pipeline(input, createWriteStream(path, { mode: 0o600 }));
      return await walk(path);
    } finally {
      if (path) await unlink(path).catch(() => undefined);
      const next = this.waiting.shift();
      if (next) next();
      else this.files--;
    }
  }

  /** Removes the scan's folder and whatever is left in it. */
  async close(): Promise<void> {
    const folder = this.folder;
    this.folder = null;
    const path = await folder?.catch(() => null);
    if (path) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }

  private scanFolder(): Promise<string> {
    this.folder ??= mkdtemp(join(this.parent, 'shipshape-layers-'));
    return this.folder;
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.files < this.maxLayers) this.files++;
    else await waitInLine(this.waiting, signal); // the file that ended counted this one in
  }
}
