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
    const { total, ids, starts } = keywords.occurrences(raw, keepPerKeyword);
    this.total = total;
    const first = new Int32Array(keywords.patternCount + 1);
    for (let i = 0; i < ids.length; i++) first[ids[i]! + 1]!++;
    for (let k = 1; k < first.length; k++) first[k]! += first[k - 1]!;
    this.first = first.slice();
    // Each keyword's occurrences come in order of their starts.
    this.starts = new Int32Array(ids.length);
    const next = first;
    for (let i = 0; i < ids.length; i++) this.starts[next[ids[i]!]!++] = starts[i]!;
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
