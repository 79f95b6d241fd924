/**
 * Layer blobs may be plain tar, gzip or zstd, whatever the media type claims: the magic bytes
 * decide. Node 20 has gzip built in; zstd is decoded by `fzstd` (pure JS, streaming).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Bytes needed to recognise a compression format. */
export const SNIFF_BYTES = 4;

export function sniffCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

class ZstdDecompressor extends Transform {
  private readonly decoder = new Decompress((data) => {
    // fzstd may reuse its window buffer: copy what it hands out.
    this.push(Buffer.from(data));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      callback();
    } catch (error) {
      callback(new Error(`zstd: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(new Error(`zstd: truncated or corrupt stream (${error instanceof Error ? error.message : String(error)})`));
    }
  }
}

/** A decoding transform for `compression`, or null when the blob is already a plain tar. */
export function createDecompressor(compression: Compression): Transform | null {
  if (compression === 'gzip') return createGunzip();
  if (compression === 'zstd') return new ZstdDecompressor();
  return null;
}
