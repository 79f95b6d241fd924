/**
 * Where in a file a rule's regex must run: around its keyword hits, as far as the rule's
 * proved reach (keyword-reach.ts), merged where they overlap. Matching only there finds exactly
 * the matches a run over the whole file finds, in the same order:
 *  - every match contains a keyword hit and lies within that hit's reach;
 *  - a window starts at a byte offset of the whole file (RE2 reads the bytes before it for
 *    `^`, `\b`), so the match found from there is the one the whole-file run finds;
 *  - a window ends one byte past the reach of every hit in it, so no match, even one that only
 *    the cut could make (`$`, `\b` at the cut), can end at the cut;
 *  - windows do not overlap, and between them no match can start.
 * Each hit costs one window computation and the windows are disjoint, so a file of nothing but
 * keywords is still read once per rule: linear in the input.
 */
import type { Extent, KeywordReach } from './keyword-reach.ts';

/** Byte offsets of a file's newlines, found once per file when a window needs them. */
export class NewlineIndex {
  private nl: Int32Array | null = null;
  constructor(private readonly raw: Uint8Array) {}

  offsets(): Int32Array {
    if (this.nl) return this.nl;
    const raw = this.raw;
    let found = new Int32Array(64);
    let n = 0;
    for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
      if (n === found.length) {
        const grown = new Int32Array(n * 2);
        grown.set(found);
        found = grown;
      }
      found[n++] = i;
    }
    return (this.nl = found.subarray(0, n));
  }

  /** How many newlines lie before offset x. */
  countBefore(x: number): number {
    return lowerBound(this.offsets(), x);
  }
}

/** First index of a sorted array whose value is >= x. */
export function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The earliest offset a match can start at, for a keyword hit at h with `nlBefore` newlines before it. */
function windowStart(h: number, nlBefore: number, before: Extent, nl: Int32Array): number {
  let start = before.bytes === Infinity ? 0 : Math.max(0, h - before.bytes);
  if (before.newlines !== Infinity) {
    // At most `newlines` newlines between the match start and h: it starts after the one before those.
    const k = nlBefore - (before.newlines + 1);
    if (k >= 0) start = Math.max(start, nl[k]! + 1);
  }
  return start;
}

/** One past the latest offset a match can end at, for a keyword hit at h (its reach plus one byte). */
function windowEnd(h: number, nlBefore: number, after: Extent, nl: Int32Array, size: number): number {
  let end = after.bytes === Infinity ? size : Math.min(size, h + after.bytes + 1);
  if (after.newlines !== Infinity) {
    // At most `newlines` newlines from h to the match end: it ends before the next one.
    const k = nlBefore + after.newlines;
    if (k < nl.length) end = Math.min(end, nl[k]! + 1);
  }
  return end;
}

/**
 * Disjoint windows [start, end) as a flat array, for keyword hits given as sorted start
 * offsets. Hits closer than the reach merge into one window.
 */
export function scanWindows(hits: Int32Array, reach: KeywordReach, lines: NewlineIndex, size: number): Int32Array {
  const out = new Int32Array(hits.length * 2);
  const byLines = reach.before.newlines !== Infinity || reach.after.newlines !== Infinity;
  const nl = byLines ? lines.offsets() : new Int32Array(0);
  let n = 0;
  // Newlines before the current hit: the hits are sorted, so one walk along the newlines serves them all.
  let nlBefore = byLines && hits.length > 0 ? lines.countBefore(hits[0]!) : 0;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    if (byLines) {
      // A few steps for a nearby hit, a binary search for a far one (a file of many lines and few hits).
      for (let step = 0; nlBefore < nl.length && nl[nlBefore]! < h; step++) {
        if (step === 8) {
          nlBefore = lines.countBefore(h);
          break;
        }
        nlBefore++;
      }
    }
    const start = windowStart(h, nlBefore, reach.before, nl);
    const end = windowEnd(h, nlBefore, reach.after, nl, size);
    if (n > 0 && start <= out[n - 1]!) {
      if (end > out[n - 1]!) out[n - 1] = end;
    } else {
      out[n++] = start;
      out[n++] = end;
    }
  }
  return out.subarray(0, n);
}

/**
 * The windows with gaps shorter than `gap` bytes joined (in place; returns the shorter view).
 * A regex call costs about as much as scanning a few hundred bytes, and joining loses and adds
 * nothing: no match can start in a gap, even when the run reads on through it, because every
 * match holds a keyword hit and starts no earlier than that hit's window; and the joined
 * window still ends where its last one did, past the reach of every hit in it.
 */
export function joinNear(windows: Int32Array, gap: number): Int32Array {
  let n = 0;
  for (let w = 0; w < windows.length; w += 2) {
    if (n > 0 && windows[w]! - windows[n - 1]! < gap) {
      windows[n - 1] = windows[w + 1]!;
    } else {
      windows[n++] = windows[w]!;
      windows[n++] = windows[w + 1]!;
    }
  }
  return windows.subarray(0, n);
}
