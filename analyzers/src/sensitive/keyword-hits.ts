/**
 * Every occurrence of every rule keyword in a file (one Aho–Corasick pass, ASCII
 * case-insensitive as the prefilter), kept by keyword so a rule can ask for its own hits in
 * file order.
 */
import type { AhoCorasick } from '../malware/aho-corasick.ts';

export class KeywordHits {
  /** Start offsets, grouped by keyword id: keyword k's are starts[first[k] .. first[k + 1]). */
  private readonly starts: Int32Array;
  private readonly first: Int32Array;

  constructor(keywords: AhoCorasick, raw: Uint8Array) {
    const count = new Int32Array(keywords.patternCount + 1);
    let ids = new Int32Array(64);
    let at = new Int32Array(64);
    let n = 0;
    keywords.scan(raw, (id, start) => {
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
      count[id + 1]!++;
    });
    for (let k = 1; k < count.length; k++) count[k]! += count[k - 1]!;
    this.first = count.slice();
    // The scan reports a keyword's occurrences in order of their ends, so also of their starts.
    this.starts = new Int32Array(n);
    const next = count;
    for (let i = 0; i < n; i++) this.starts[next[ids[i]!]!++] = at[i]!;
  }

  /** Does keyword `id` occur? */
  has(id: number): boolean {
    return this.first[id + 1]! > this.first[id]!;
  }

  /** How many times the keywords occur, together. */
  count(ids: readonly number[]): number {
    let n = 0;
    for (const id of ids) n += this.first[id + 1]! - this.first[id]!;
    return n;
  }

  /** Start offsets of these keywords' occurrences, sorted. */
  of(ids: readonly number[]): Int32Array {
    if (ids.length === 1) return this.starts.subarray(this.first[ids[0]!]!, this.first[ids[0]! + 1]!);
    const out = new Int32Array(this.count(ids));
    let n = 0;
    for (const id of ids) {
      out.set(this.starts.subarray(this.first[id]!, this.first[id + 1]!), n);
      n += this.first[id + 1]! - this.first[id]!;
    }
    return out.sort();
  }
}
