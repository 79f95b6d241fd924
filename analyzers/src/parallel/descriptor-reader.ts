/**
 * A file read through a descriptor someone else owns (the scan's layer file, which has no
 * name: layer-spool.ts): positional reads from the start, and the descriptor is never closed
 * here (fs.createReadStream closes it on destroy, even with autoClose off). `release()` ends
 * the stream and resolves once no read is in flight, so the owner may close the descriptor.
 */
import { read } from 'node:fs';
import { Readable } from 'node:stream';

export class DescriptorReader extends Readable {
  private position = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly fd: number,
    private readonly chunkBytes: number,
  ) {
    super({ highWaterMark: chunkBytes });
  }

  override _read(): void {
    const buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.inFlight = new Promise<void>((done) => {
      read(this.fd, buffer, 0, buffer.length, this.position, (error, bytes) => {
        this.inFlight = null;
        done();
        if (this.destroyed) return;
        if (error) return void this.destroy(error);
        if (bytes === 0) return void this.push(null);
        this.position += bytes;
        this.push(bytes < buffer.length ? buffer.subarray(0, bytes) : buffer);
      });
    });
  }

  /** Ends the stream; resolves when no read of the descriptor is in flight any more. */
  async release(): Promise<void> {
    this.destroy();
    await this.inFlight;
  }
}
