import { describe, expect, it } from 'vitest';
import { ARENA_MIN_FILE, ContentArena } from './content-arena.ts';

describe('content arena', () => {
  it('large contents of one walk share one buffer; small ones get their own', () => {
    const arena = new ContentArena();
    const first = arena.take(ARENA_MIN_FILE);
    const second = arena.take(ARENA_MIN_FILE * 2);
    expect(second.buffer).toBe(first.buffer);
    expect([first.length, second.length]).toEqual([ARENA_MIN_FILE, ARENA_MIN_FILE * 2]);
    expect(arena.owns(second)).toBe(true);
    const small = arena.take(ARENA_MIN_FILE - 1);
    expect(arena.owns(small)).toBe(false);
  });

  it('its buffer is above glibc malloc dynamic mmap threshold ceiling (32 MiB), so freeing it never raises that threshold', () => {
    const arena = new ContentArena();
    expect(arena.take(ARENA_MIN_FILE).buffer.byteLength).toBeGreaterThan(32 * 1024 * 1024);
    // A file larger than the buffer gets a larger one.
    const huge = arena.take(40 * 1024 * 1024);
    expect(huge.length).toBe(40 * 1024 * 1024);
    expect(arena.owns(huge)).toBe(true);
  });
});
