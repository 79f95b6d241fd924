/**
 * Where a layer walk puts the content of the large files it reads: one buffer, reused for
 * every such file of the walk (a file's content is needed only while the analyzers look at it).
 *
 * Why not a fresh buffer per file: glibc's malloc serves a large request with its own mapping
 * and, when that mapping is freed, raises its threshold to the freed size (up to 32 MB). After a
 * 24 MB file, every buffer up to 24 MB comes from the thread's heap arena instead, and a worker
 * thread's arena gives little of it back: the helper's RSS grew by ~50 MB on a 1 GB image that
 * way. The arena's buffer is above that 32 MB ceiling, so freeing it never moves the threshold;
 * pages of it no walk touched are never resident; and the next walk on the thread reuses it. Small files keep their own buffers (below the threshold they cost nothing extra).
 */

/** Files at least this large are read into the arena. */
export const ARENA_MIN_FILE = 256 * 1024;
/** Just above glibc's largest dynamic mmap threshold (DEFAULT_MMAP_THRESHOLD_MAX, 32 MiB on 64-bit). */
const ARENA_MIN_BYTES = 33 * 1024 * 1024;

/**
 * The arena a walk borrows: the one the thread's previous walk gave back, when there is one (a
 * new buffer per walk would leave the last walk's one resident until V8 collects it, two per
 * worker on the export path). Walks that overlap on one thread get arenas of their own.
 */
let spare: ContentArena | null = null;

export function borrowArena(): ContentArena {
  const arena = spare ?? new ContentArena();
  spare = null;
  return arena;
}

/** Gives a walk's arena back when the walk ends (its contents are no longer used). */
export function returnArena(arena: ContentArena): void {
  spare = arena;
}

export class ContentArena {
  private buffer: Buffer | null = null;

  /**
   * A buffer of `size` bytes for one file's content, valid until the next `take` of this arena:
   * whoever keeps a content past its analysis copies it (`owns` says when).
   */
  take(size: number): Buffer {
    if (size < ARENA_MIN_FILE) return Buffer.allocUnsafe(size);
    if (!this.buffer || this.buffer.length < size) this.buffer = Buffer.allocUnsafeSlow(Math.max(size, ARENA_MIN_BYTES));
    return this.buffer.subarray(0, size);
  }

  /** True when `content` lives in this arena's buffer (the next `take` overwrites it). */
  owns(content: Uint8Array): boolean {
    return this.buffer !== null && content.buffer === this.buffer.buffer;
  }
}
