/**
 * The layers of an export, written to files as they stream by, so that the workers read them
 * at their own pace and several layers are analysed at once. Streamed straight to a worker
 * (walkStream), the archive, which holds one layer after the other, could only move as fast
 * as the one worker walking the current layer: the other waited for the next layer, and every
 * chunk crossed threads as a fresh buffer that only a garbage collection gave back. A file
 * costs page cache, not the helper's memory, and at most `maxLayers` files exist at a time:
 * beyond that the archive waits (and `docker save` with it), so the disk used stays bounded.
 *
 * A layer file has no name while it is written and walked: it is opened in a fresh folder,
 * then the file and the folder are removed at once, and the worker reads it through the open
 * descriptor (worker threads share the process's descriptors). Whatever ends the helper (a
 * crash, SIGKILL), the kernel closes the descriptor and frees the space: no
 * `shipshape-layers-*` folder outlives the process. Where an open file cannot be removed
 * (Windows), it keeps its name until the walk is over, as before.
 */
import { mkdtemp, open, rm, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { waitInLine } from './wait-in-line.ts';

/** A layer file as a walk gets it: read it through `fd` (positional reads; do not close it). */
export interface SpooledLayer {
  fd: number;
  /** Its length (the uncompressed layer tar). */
  bytes: number;
  /** Its name, only where it could not be removed while open; null once it has none. */
  path: string | null;
}

export class LayerSpool {
  private files = 0;
  private readonly waiting: Array<(value: void) => void> = [];
  /** Folders of files that kept their names (removed by close). */
  private readonly named = new Set<string>();

  /** `maxLayers`: layer files at most at a time (written, waiting or being walked); `parent`: where their folders go. */
  constructor(
    private readonly maxLayers: number,
    private readonly parent: string = tmpdir(),
  ) {}

  /**
   * Writes `input` (one uncompressed layer) to a file with no name, then `walk(layer)`, then
   * closes it (which frees its space). While `maxLayers` files exist, waits before reading `input`.
   */
  async spool<T>(input: Readable, walk: (layer: SpooledLayer) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.slot(signal);
    let file: FileHandle | null = null;
    let folder: string | null = null;
    try {
      folder = await mkdtemp(join(this.parent, 'shipshape-layers-'));
      const path = join(folder, 'layer.tar');
      file = await open(path, 'wx+', 0o600);
      const named = await unnamed(folder, path);
      if (named) this.named.add(folder);
      else folder = null;
      // Written through the handle (a write stream on its descriptor would close it when destroyed).
      const bytes = await writeBatched(file, input);
      return await walk({ fd: file.fd, bytes, path: named ? path : null });
    } finally {
      await file?.close().catch(() => undefined);
      if (folder) {
        this.named.delete(folder);
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      }
      const next = this.waiting.shift();
      if (next) next();
      else this.files--;
    }
  }

  /** Removes what is left on disk (only files that could not lose their names). */
  async close(): Promise<void> {
    const left = [...this.named];
    this.named.clear();
    await Promise.all(left.map((folder) => rm(folder, { recursive: true, force: true }).catch(() => undefined)));
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.files < this.maxLayers) this.files++;
    else await waitInLine(this.waiting, signal); // the file that ended counted this one in
  }
}

/** Removes the open file's name and its folder; false when done, true when the file must keep its name. */
async function unnamed(folder: string, path: string): Promise<boolean> {
  try {
    await unlink(path);
  } catch {
    return true;
  }
  await rmdir(folder).catch(() => undefined);
  return false;
}

/**
 * About this much of the stream goes to the file in one call: the export arrives in 64 KiB
 * chunks, and one write per chunk cost ~3.5x the CPU of one writev per 1 MiB of them (175 MB:
 * ~180 against ~50 ms, most of it on the thread that also reads the export).
 */
const BATCH_BYTES = 1024 * 1024;

/** Writes the stream's chunks to the file from its start, a batch of them per call; resolves with the bytes written. */
export async function writeBatched(file: Pick<FileHandle, 'write' | 'writev'>, input: Readable): Promise<number> {
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let position = 0;
  const flush = async () => {
    let { bytesWritten } = await file.writev(batch, position);
    position += bytesWritten;
    // A short write (rare for a file): the rest one chunk at a time.
    for (const chunk of batch) {
      if (bytesWritten >= chunk.length) {
        bytesWritten -= chunk.length;
        continue;
      }
      for (let done = bytesWritten; done < chunk.length; ) {
        const { bytesWritten: n } = await file.write(chunk, done, chunk.length - done, position);
        done += n;
        position += n;
      }
      bytesWritten = 0;
    }
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of input) {
    batch.push(chunk as Buffer);
    batchBytes += (chunk as Buffer).length;
    if (batchBytes >= BATCH_BYTES) await flush();
  }
  if (batch.length > 0) await flush();
  return position;
}
