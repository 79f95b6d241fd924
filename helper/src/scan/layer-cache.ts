/**
 * Per-layer results on disk, keyed by the layer's diffID and the analyzers' versions (so a new
 * analyzer version misses the cache instead of serving stale findings). Bounded: when the
 * entries exceed `maxBytes`, the least recently used go first. `retainLayers` forgets layers
 * that no image on the host uses any more.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface IndexEntry {
  diffId: string;
  analyzersKey: string;
  file: string;
  size: number;
  lastUsed: number;
}

export interface LayerCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export const DEFAULT_LAYER_CACHE_BYTES = 512 * 1024 * 1024;

export class LayerCache<T> {
  private index = new Map<string, IndexEntry>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private clock = 0;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  static async open<T>(dir: string, maxBytes = DEFAULT_LAYER_CACHE_BYTES): Promise<LayerCache<T>> {
    const cache = new LayerCache<T>(dir, maxBytes);
    await mkdir(dir, { recursive: true });
    try {
      const saved = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as IndexEntry[];
      for (const e of saved) cache.index.set(LayerCache.key(e.diffId, e.analyzersKey), e);
      cache.bytes = saved.reduce((sum, e) => sum + e.size, 0);
      cache.clock = saved.reduce((max, e) => Math.max(max, e.lastUsed), 0);
    } catch {
      // No index yet, or an unreadable one: start empty (the files are rewritten as layers are scanned).
    }
    return cache;
  }

  private static key(diffId: string, analyzersKey: string): string {
    return `${diffId}\u0000${analyzersKey}`;
  }

  has(diffId: string, analyzersKey: string): boolean {
    return this.index.has(LayerCache.key(diffId, analyzersKey));
  }

  async get(diffId: string, analyzersKey: string): Promise<T | undefined> {
    const entry = this.index.get(LayerCache.key(diffId, analyzersKey));
    if (!entry) {
      this.misses++;
      return undefined;
    }
    try {
      const value = JSON.parse(await readFile(join(this.dir, entry.file), 'utf8')) as T;
      entry.lastUsed = ++this.clock;
      this.hits++;
      return value;
    } catch {
      this.drop(entry);
      this.misses++;
      return undefined;
    }
  }

  async set(diffId: string, analyzersKey: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    const size = Buffer.byteLength(json);
    if (size > this.maxBytes) return; // one layer larger than the whole cache: not worth keeping
    const file = createHash('sha256').update(LayerCache.key(diffId, analyzersKey)).digest('hex') + '.json';
    const tmp = join(this.dir, `${file}.${process.pid}.tmp`);
    await writeFile(tmp, json);
    await rename(tmp, join(this.dir, file));
    const previous = this.index.get(LayerCache.key(diffId, analyzersKey));
    if (previous) this.bytes -= previous.size;
    this.index.set(LayerCache.key(diffId, analyzersKey), { diffId, analyzersKey, file, size, lastUsed: ++this.clock });
    this.bytes += size;
    await this.evict();
    await this.saveIndex();
  }

  /** Forgets every layer not in `liveDiffIds` (layers of images that left the host). */
  async retainLayers(liveDiffIds: ReadonlySet<string>): Promise<number> {
    const gone = [...this.index.values()].filter((e) => !liveDiffIds.has(e.diffId));
    for (const e of gone) this.drop(e);
    if (gone.length) await this.saveIndex();
    return gone.length;
  }

  stats(): LayerCacheStats {
    return { entries: this.index.size, bytes: this.bytes, maxBytes: this.maxBytes, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }

  private async evict(): Promise<void> {
    if (this.bytes <= this.maxBytes) return;
    const byAge = [...this.index.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of byAge) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(e);
      this.evictions++;
    }
  }

  private drop(entry: IndexEntry): void {
    this.index.delete(LayerCache.key(entry.diffId, entry.analyzersKey));
    this.bytes -= entry.size;
    void rm(join(this.dir, entry.file), { force: true });
  }

  /** Index writes are serialised so two scans finishing together cannot interleave them. */
  private saveIndex(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const tmp = join(this.dir, `index.json.${process.pid}.tmp`);
      await writeFile(tmp, JSON.stringify([...this.index.values()]));
      await rename(tmp, join(this.dir, 'index.json'));
    });
    return this.writing;
  }
}
