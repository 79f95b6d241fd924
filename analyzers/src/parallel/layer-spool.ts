/**
 * The layers of an export, written to files as they stream by, so that the workers read them
 * at their own pace and several layers are analysed at once. Streamed straight to a worker
 * (walkStream), the archive, which holds one layer after the other, could only move as fast
 * as the one worker walking the current layer: the other waited for the next layer, and every
 * chunk crossed threads as a fresh buffer that only a garbage collection gave back. A file
 * costs page cache, not the helper's memory, and at most `maxLayers` files exist at a time:
 * beyond that the archive waits (and `docker save` with it), so the disk used stays bounded.
 * Each file is unlinked as soon as it is opened and handed to the worker as a descriptor
 * (worker threads share the process's descriptors): a helper killed mid-scan leaves nothing
 * in the temp folder, the kernel frees the space.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { waitInLine } from './wait-in-line.ts';

export class LayerSpool {
  private files = 0;
  private readonly waiting: Array<(value: void) => void> = [];

  /** `maxLayers`: layer files at most at a time (written, waiting or being walked); `folder`: where they go. */
  constructor(
    private readonly maxLayers: number,
    private readonly folder: string = tmpdir(),
  ) {}

  /**
   * Writes `input` (one uncompressed layer) to an unlinked file, then `walk(fd)` (read it from
   * offset 0, do not close it), then closes it. While `maxLayers` files exist, waits before
   * reading `input`.
   */
  async spool<T>(input: Readable, walk: (fd: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.slot(signal);
    let file: Awaited<ReturnType<typeof open>> | null = null;
    try {
      const path = join(this.folder, `shipshape-layer-${randomUUID()}.tar`);
      file = await open(path, 'wx+', 0o600);
      await unlink(path);
      await pipeline(input, createWriteStream('', { fd: file.fd, autoClose: false }));
      return await walk(file.fd);
    } finally {
      await file?.close().catch(() => undefined);
      const next = this.waiting.shift();
      if (next) next();
      else this.files--;
    }
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.files < this.maxLayers) this.files++;
    else await waitInLine(this.waiting, signal); // the file that ended counted this one in
  }
}
