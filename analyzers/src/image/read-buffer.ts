/**
 * The buffer a layer source reads file contents into, reused from file to file (a content is
 * valid until the next entry, see LayerEntry.read).
 *
 * Why: a fresh buffer per file cost more than the read itself. One of a MiB or more is a fresh
 * mapping the kernel faults in and zeroes page by page: reading 2 GB of layer files into fresh
 * buffers took ~2.5x the system time of reading them into a kept one on this project's 2-core
 * machine (4.2-4.6 s against 1.6-1.8 s). Bigger files than REUSED_READ_MAX, rare, still get a
 * buffer of their own, so the kept one stays small; its pages count in RSS only once a file
 * that large was read.
 */
export const REUSED_READ_MAX = 8 * 1024 * 1024;

export class ReadBuffer {
  private buffer: Buffer = Buffer.allocUnsafeSlow(0);

  /** A buffer of at least `bytes` (the kept one when it may be), whose content the caller overwrites. */
  take(bytes: number): Buffer {
    if (bytes > REUSED_READ_MAX) return Buffer.allocUnsafeSlow(bytes);
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(Math.min(REUSED_READ_MAX, Math.max(bytes, this.buffer.length * 2, 64 * 1024)));
    return this.buffer;
  }
}
