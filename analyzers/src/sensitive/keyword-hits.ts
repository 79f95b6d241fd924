/**
 * Occurrences of every rule keyword in a file (one Aho–Corasick pass, ASCII case-insensitive
 * as the prefilter), kept by keyword so a rule can ask for its own hits in file order.
 *
 * Every occurrence is counted, but only the first `keepPerKeyword` of each keyword are kept:
 * past that many a rule's windows would cover the file anyway (the detector then runs from the
 * first hit to the end), and a file of nothing but keywords must not cost memory per byte.
 */
import type { AhoCorasick } from '../malware/aho-corasick.ts';

export class KeywordHits {
  /** Kept start offsets, grouped by keyword id: keyword k's are starts[first[k] .. first[k + 1]). */
  private readonly starts: Int32Array;
  private readonly first: Int32Array;
  /** All occurrences per keyword id, kept or not. */
  private readonly total: Int32Array;

  constructor(keywords: AhoCorasick, raw: Uint8Array, keepPerKeyword: number) {
    const total = new Int32Array(keywords.patternCount);
    const kept = new Int32Array(keywords.patternCount + 1);
    let ids = new Int32Array(64);
    let at = new Int32Array(64);
    let n = 0;
    keywords.scan(raw, (id, start) => {
      if (++total[id]! > keepPerKeyword) return;
      if (n === ids.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        ids = grow(ids);
        at = grow(at);
      }
      ids[n] = id;
      at[n++] = start;
      kept[id + 1]!++;
    });
    this.total = total;
    for (let k = 1; k < kept.length; k++) kept[k]! += kept[k - 1]!;
    this.first = kept.slice();
    // The scan reports a keyword's occurrences in order of their ends, so also of their starts.
    this.starts = new Int32Array(n);
    const next = kept;
    for (let i = 0; i < n; i++) this.starts[next[ids[i]!]!++] = at[i]!;
  }

  /** Does keyword `id` occur? */
  has(id: number): boolean {
    return this.total[id]! > 0;
  }

  /** How many times the keywords occur, together (kept or not). */
  count(ids: readonly number[]): number {
    let n = 0;
    for (const id of ids) n += this.total[id]!;
    return n;
  }

  /** The earliest occurrence of any of these keywords (-1 for none). */
  earliest(ids: readonly number[]): number {
    let min = -1;
    for (const id of ids) {
      if (this.first[id + 1]! === this.first[id]!) continue;
      const s = this.starts[this.first[id]!]!;
      if (min === -1 || s < min) min = s;
    }
    return min;
  }

  /** Start offsets of these keywords' kept occurrences, sorted (all of them when each occurs at most keepPerKeyword times). */
  of(ids: readonly number[]): Int32Array {
    if (ids.length === 1) return this.starts.subarray(this.first[ids[0]!]!, this.first[ids[0]! + 1]!);
    let size = 0;
    for (const id of ids) size += this.first[id + 1]! - this.first[id]!;
    const out = new Int32Array(size);
    let n = 0;
    for (const id of ids) {
      out.set(this.starts.subarray(this.first[id]!, this.first[id + 1]!), n);
      n += this.first[id + 1]! - this.first[id]!;
    }
    return out.sort();
  }
}
