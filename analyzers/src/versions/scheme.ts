/**
 * One ecosystem family's version order. Every scheme is total: `parse` never throws and
 * `compare` orders every pair of parsed values, invalid ones included, consistently (each
 * scheme documents where invalid versions sort). `isValid` says whether the version follows
 * the ecosystem's own grammar, for callers that want to reject rather than order.
 */
export interface VersionScheme<T = unknown> {
  readonly name: string;
  parse(version: string): T;
  compare(a: T, b: T): number;
  isValid(parsed: T): boolean;
}

/** Parsed forms kept per scheme: the matcher compares the same few versions millions of times. */
const CACHE_LIMIT = 20_000;

export class CachedScheme<T> {
  private readonly cache = new Map<string, T>();
  constructor(readonly scheme: VersionScheme<T>) {}

  parse(version: string): T {
    let parsed = this.cache.get(version);
    if (parsed === undefined) {
      parsed = this.scheme.parse(version);
      // Dropping everything is cheaper than LRU bookkeeping and keeps memory bounded.
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(version, parsed);
    }
    return parsed;
  }

  compare(a: string, b: string): number {
    if (a === b) return 0;
    const r = this.scheme.compare(this.parse(a), this.parse(b));
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  }

  isValid(version: string): boolean {
    return this.scheme.isValid(this.parse(version));
  }
}
