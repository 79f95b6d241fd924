import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through, counting them and (optionally) computing their sha256 on the way. */
export class DigestCounter extends Transform {
  bytes = 0;
  private readonly hash: Hash | null;

  constructor(withDigest = true) {
    super();
    this.hash = withDigest ? createHash('sha256') : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    callback(null, chunk);
  }

  /** `sha256:<hex>`; valid once the stream has ended. */
  digest(): string {
    if (!this.hash) throw new Error('DigestCounter created without a digest');
    return `sha256:${this.hash.digest('hex')}`;
  }
}
