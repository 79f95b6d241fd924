/**
 * How far a rule's match can reach around one of its keywords, proved from the regex tree.
 *
 * gitleaks runs a rule's regex over the whole file once any of its keywords occurs anywhere.
 * When every string the regex can match contains one of the keywords (case-insensitively, as
 * the keyword prefilter finds them), and the text before and after that keyword in a match is
 * bounded (in bytes, or in newlines: a part without `\n` ends with its line), then every match
 * lies in a window around a keyword hit, and the regex need only run there (scan-windows.ts).
 * A pattern for which that cannot be shown gets no reach, and is scanned whole.
 *
 * The proof assumes the input holds no character that RE2 folds onto an ASCII letter from
 * outside ASCII (FOLD_ONLY_BYTES); the detector checks that before using windows.
 */
import { parseRe2, type Re2Node } from './regex-ast.ts';

/** An upper bound on a stretch of matched text: bytes (UTF-8) and newlines, either may be Infinity. */
export interface Extent {
  bytes: number;
  newlines: number;
}

/** Bounds of a match around the keyword occurrence it must contain. */
export interface KeywordReach {
  /** From the match start to the keyword's first byte. */
  before: Extent;
  /** From the keyword's first byte to the match end (the keyword included). */
  after: Extent;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const ZERO: Extent = { bytes: 0, newlines: 0 };
/** Exact-string sets are enumerated up to this many strings of this length. */
const MAX_STRINGS = 64;
const MAX_STRING_LENGTH = 64;
/** Character sets enumerated as alternatives (a case pair, `[Aa]`, `[_.-]`). */
const MAX_SET_CHARS = 8;

const add = (a: Extent, b: Extent): Extent => ({ bytes: a.bytes + b.bytes, newlines: a.newlines + b.newlines });
const max = (a: Extent, b: Extent): Extent => ({ bytes: Math.max(a.bytes, b.bytes), newlines: Math.max(a.newlines, b.newlines) });
const times = (n: number, k: number) => (n === 0 ? 0 : n * k);
const scale = (a: Extent, k: number): Extent => ({ bytes: times(a.bytes, k), newlines: times(a.newlines, k) });
const utf8Width = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/** The longest stretch a node can match. */
export function extentOf(node: Re2Node): Extent {
  switch (node.kind) {
    case 'char': {
      const top = node.ranges[node.ranges.length - 1]?.[1] ?? 0;
      return { bytes: utf8Width(top), newlines: node.ranges.some(([lo, hi]) => lo <= 10 && 10 <= hi) ? 1 : 0 };
    }
    case 'empty':
      return ZERO;
    case 'concat':
      return node.items.map(extentOf).reduce(add, ZERO);
    case 'alternate':
      return node.items.map(extentOf).reduce(max, ZERO);
    case 'repeat':
      return scale(extentOf(node.item), node.max);
  }
}

const lowerAscii = (cp: number) => (cp >= 0x41 && cp <= 0x5a ? cp | 0x20 : cp);

/** Every string the node can match (ASCII lower-cased), when there are few and short ones. */
function exactStrings(node: Re2Node): string[] | null {
  switch (node.kind) {
    case 'char': {
      const set = new Set<number>();
      for (const [lo, hi] of node.ranges) {
        if (hi - lo >= MAX_SET_CHARS * 2) return null;
        for (let c = lo; c <= hi; c++) set.add(lowerAscii(c));
        if (set.size > MAX_SET_CHARS) return null;
      }
      return [...set].map((c) => String.fromCodePoint(c));
    }
    case 'empty':
      return [''];
    case 'concat':
      return product(node.items.map(exactStrings));
    case 'alternate': {
      const out = new Set<string>();
      for (const item of node.items) {
        const s = exactStrings(item);
        if (!s) return null;
        for (const x of s) out.add(x);
        if (out.size > MAX_STRINGS) return null;
      }
      return [...out];
    }
    case 'repeat': {
      if (node.max > 4) return null;
      const item = exactStrings(node.item);
      if (!item) return null;
      const out = new Set<string>();
      for (let k = node.min; k <= node.max; k++) {
        const strings = product(Array.from({ length: k }, () => item));
        if (!strings) return null;
        for (const x of strings) out.add(x);
        if (out.size > MAX_STRINGS) return null;
      }
      return [...out];
    }
  }
}

function product(parts: Array<string[] | null>): string[] | null {
  let acc = [''];
  for (const p of parts) {
    if (!p) return null;
    if (acc.length * p.length > MAX_STRINGS) return null;
    acc = acc.flatMap((a) => p.map((b) => a + b));
    if (acc.some((s) => s.length > MAX_STRING_LENGTH)) return null;
  }
  return acc;
}

const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');
const newlinesOf = (s: string) => s.split('\n').length - 1;

/** Reach over a finite set of strings: each must contain a keyword (its first occurrence is used). */
function reachOfStrings(strings: string[], keywords: string[]): KeywordReach | null {
  let reach: KeywordReach | null = null;
  for (const s of strings) {
    let at = -1;
    for (const k of keywords) {
      const i = s.indexOf(k);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    }
    if (at === -1) return null;
    const r = {
      before: { bytes: bytesOf(s.slice(0, at)), newlines: newlinesOf(s.slice(0, at)) },
      after: { bytes: bytesOf(s.slice(at)), newlines: newlinesOf(s.slice(at)) },
    };
    reach = reach ? { before: max(reach.before, r.before), after: max(reach.after, r.after) } : r;
  }
  return reach;
}

/** Smaller is better: a finite window beats a line-bound one, which beats none. */
function cost(r: KeywordReach): number {
  const side = (e: Extent) => (e.bytes !== Infinity ? e.bytes : e.newlines !== Infinity ? 1e6 * (e.newlines + 1) : 1e12);
  return side(r.before) + side(r.after);
}

function better(a: KeywordReach | null, b: KeywordReach | null): KeywordReach | null {
  if (!a) return b;
  if (!b) return a;
  return cost(b) < cost(a) ? b : a;
}

function reachOf(node: Re2Node, keywords: string[]): KeywordReach | null {
  const strings = exactStrings(node);
  if (strings) return reachOfStrings(strings, keywords);
  switch (node.kind) {
    case 'char':
    case 'empty':
      return null;
    case 'alternate': {
      let reach: KeywordReach | null = null;
      for (const item of node.items) {
        const r = reachOf(item, keywords);
        if (!r) return null;
        reach = reach ? { before: max(reach.before, r.before), after: max(reach.after, r.after) } : r;
      }
      return reach;
    }
    case 'repeat': {
      if (node.min < 1) return null;
      const r = reachOf(node.item, keywords);
      // The keyword of the first repetition; the others follow it.
      return r && { before: r.before, after: add(r.after, scale(extentOf(node.item), node.max - 1)) };
    }
    case 'concat': {
      const items = node.items;
      const extents = items.map(extentOf);
      const span = (from: number, to: number) => extents.slice(from, to).reduce(add, ZERO);
      let best: KeywordReach | null = null;
      const around = (r: KeywordReach | null, from: number, to: number): KeywordReach | null =>
        r && { before: add(span(0, from), r.before), after: add(r.after, span(to, items.length)) };
      for (let i = 0; i < items.length; i++) {
        best = better(best, around(reachOf(items[i]!, keywords), i, i + 1));
        // A keyword spread over several items (`api` `[_-]?` `key`): their strings together.
        for (let j = i + 2; j <= items.length; j++) {
          const strings = product(items.slice(i, j).map(exactStrings));
          if (!strings) break;
          best = better(best, around(reachOfStrings(strings, keywords), i, j));
        }
      }
      return best;
    }
  }
}

/**
 * The reach of a rule's regex around its keywords (lower case, as the rule lists them), or
 * null when some match might contain none of them (then the regex runs over the whole file).
 */
export function keywordReach(source: string, keywords: string[]): KeywordReach | null {
  // The prefilter folds ASCII case only (so does this proof): a keyword beyond printable ASCII
  // could be found by one and not the other.
  if (keywords.length === 0 || keywords.some((k) => !PRINTABLE_ASCII.test(k))) return null;
  const tree = parseRe2(source);
  if (!tree) return null;
  return reachOf(tree, keywords.map((k) => k.toLowerCase()));
}
