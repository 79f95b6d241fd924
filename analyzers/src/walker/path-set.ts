/**
 * The paths one layer writes, kept as sorted 53-bit hashes: 8 bytes a path instead of a
 * string of 50-100 bytes plus a Set slot, so a layer of a million files costs 8 MB, in memory
 * and in the per-layer cache. The merge only asks "does this upper layer write that path?",
 * for the few paths that carry findings. A false "yes" needs two paths with the same 53-bit
 * hash: about one chance in 10^10 per question for a million-file layer.
 */

/** cyrb53 (public domain, bryc): a fast 53-bit string hash with good spread. */
export function pathHash(path: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < path.length; i++) {
    const ch = path.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Collects hashes while a layer is walked; `encode()` gives the JSON-safe form. */
export class PathSetBuilder {
  private hashes = new Float64Array(1024);
  private count = 0;

  add(path: string): void {
    if (this.count === this.hashes.length) {
      const grown = new Float64Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.count++] = pathHash(path);
  }

  /** Sorted, without duplicates, as base64 of little-endian float64s. */
  encode(): string {
    const sorted = this.hashes.subarray(0, this.count).sort();
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i]!;
    return Buffer.from(sorted.buffer, sorted.byteOffset, unique * 8).toString('base64');
  }
}

export class PathSet {
  private constructor(private readonly hashes: Float64Array) {}

  static decode(encoded: string): PathSet {
    const bytes = Buffer.from(encoded, 'base64');
    // Copied into an aligned buffer: a Float64Array view needs an offset that is a multiple of 8.
    const hashes = new Float64Array(bytes.length >>> 3);
    new Uint8Array(hashes.buffer).set(bytes.subarray(0, hashes.length * 8));
    return new PathSet(hashes);
  }

  /** The encoded form of `paths` (what a LayerResult stores). */
  static encode(paths: Iterable<string>): string {
    const builder = new PathSetBuilder();
    for (const path of paths) builder.add(path);
    return builder.encode();
  }

  get size(): number {
    return this.hashes.length;
  }

  has(path: string): boolean {
    const target = pathHash(path);
    let lo = 0;
    let hi = this.hashes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.hashes[mid]!;
      if (value === target) return true;
      if (value < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
