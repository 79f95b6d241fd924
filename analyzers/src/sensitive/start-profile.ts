/**
 * What every match of a rule's regex starts with, proved from the regex tree: its first bytes,
 * position by position, each from a known set of ASCII bytes (`\b(s\.[A-Za-z0-9]{24})` starts
 * with `s`, `.`, then 24 alphanumerics). A place where those bytes are not is no match start,
 * so the detector looks for starts that fit (a few byte lookups each) and runs RE2 only from
 * them: a keyword hit that is not followed by what the rule needs (`pat` in `path.join`) or a
 * file where the rule's literal never appears with the right bytes after it costs no regex call.
 *
 * Where candidates come from:
 *  - the rule's keyword, when every match starts with it (the keyword pass found each place);
 *  - else the longest run of single bytes in the profile (`s.`), found with indexOf.
 *
 * The proof reads ASCII sets only: a position whose set holds a non-ASCII character ends the
 * profile (byte and character positions then part). Like the keyword reach, it assumes the input
 * holds no character RE2 folds onto an ASCII letter (FOLD_ONLY_BYTES): `(?i)k` also matches the
 * Kelvin sign, a 3-byte character the profile's `k`/`K` would reject. The detector checks that.
 */
import type { Range } from './char-ranges.ts';
import { extentOf } from './keyword-reach.ts';
import { parseRe2, type Re2Node } from './regex-ast.ts';

/** Positions kept (longer profiles add little: a candidate almost always fails in the first few). */
const MAX_POSITIONS = 64;

export interface StartProfile {
  /** How many leading bytes of every match the profile knows (at least 2). */
  length: number;
  /** `length` tables of 256: accepts[i * 256 + b] is 1 when byte b may be at position i of a match. */
  accepts: Uint8Array;
  /** The rule keyword (lower case, as listed) every match starts with, or null. */
  keyword: string | null;
  /** The longest run (2 bytes or more) of positions holding one byte each, and its offset in the profile, or null. */
  literal: { bytes: Buffer; at: number } | null;
  /** The longest possible match in bytes (Infinity when unbounded). */
  maxLength: number;
}

interface Prefix {
  /** Sets of the first positions every match of the node has. */
  sets: Range[][];
  /** True when every match of the node is exactly `sets.length` characters long. */
  complete: boolean;
}

const NONE: Prefix = { sets: [], complete: false };

function prefixOf(node: Re2Node): Prefix {
  switch (node.kind) {
    case 'char':
      return node.ranges.every(([, hi]) => hi < 0x80) ? { sets: [node.ranges], complete: true } : NONE;
    case 'empty':
      // Assertions (`\b`, `^`) consume nothing.
      return { sets: [], complete: true };
    case 'concat': {
      const sets: Range[][] = [];
      for (const item of node.items) {
        const p = prefixOf(item);
        sets.push(...p.sets);
        if (sets.length > MAX_POSITIONS) return { sets: sets.slice(0, MAX_POSITIONS), complete: false };
        if (!p.complete) return { sets, complete: false };
      }
      return { sets, complete: true };
    }
    case 'alternate': {
      // A match of the alternation is a match of one item: each position is in the union.
      const parts = node.items.map(prefixOf);
      const n = Math.min(...parts.map((p) => p.sets.length));
      const sets = Array.from({ length: n }, (_v, i) => parts.flatMap((p) => p.sets[i]!));
      return { sets, complete: parts.every((p) => p.complete && p.sets.length === n) };
    }
    case 'repeat': {
      if (node.min === 0) return { sets: [], complete: node.max === 0 };
      const p = prefixOf(node.item);
      if (!p.complete) return p; // the first repetition's prefix
      if (p.sets.length === 0) return p; // zero-width, however often
      const sets: Range[][] = [];
      for (let k = 0; k < node.min && sets.length <= MAX_POSITIONS; k++) sets.push(...p.sets);
      if (sets.length > MAX_POSITIONS) return { sets: sets.slice(0, MAX_POSITIONS), complete: false };
      return { sets, complete: node.min === node.max };
    }
  }
}

/** The bytes a set of ASCII ranges holds. */
function bytesOf(ranges: Range[]): number[] {
  const out = new Set<number>();
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) out.add(c);
  return [...out];
}

const upper = (c: number) => (c >= 0x61 && c <= 0x7a ? c - 0x20 : c);

/** The keyword the profile starts with: at each of its positions, bytes only of that keyword letter (either ASCII case). */
function leadingKeyword(sets: number[][], keywords: string[]): string | null {
  let best: string | null = null;
  for (const k of keywords) {
    const code = Buffer.from(k, 'latin1');
    if (k.length === 0 || k.length > sets.length || !/^[\x20-\x7e]+$/.test(k)) continue;
    const fits = [...code].every((c, i) => sets[i]!.every((b) => b === c || b === upper(c)));
    if (fits && (!best || k.length > best.length)) best = k;
  }
  return best;
}

function longestLiteral(sets: number[][]): { bytes: Buffer; at: number } | null {
  let best: { bytes: Buffer; at: number } | null = null;
  for (let i = 0; i < sets.length; ) {
    let j = i;
    while (j < sets.length && sets[j]!.length === 1) j++;
    if (j - i > (best?.bytes.length ?? 0)) best = { bytes: Buffer.from(sets.slice(i, j).map((s) => s[0]!)), at: i };
    i = j + 1;
  }
  return best;
}

/**
 * The start profile of a regex (RE2 syntax) whose matches are searched near `keywords` (lower
 * case), or null when it knows fewer than 2 leading bytes or has no cheap way to find candidates
 * (no leading keyword, no literal of 2 bytes or more).
 */
export function startProfile(source: string, keywords: string[]): StartProfile | null {
  const tree = parseRe2(source);
  if (!tree) return null;
  const sets = prefixOf(tree).sets.map(bytesOf);
  if (sets.length < 2 || sets.some((s) => s.length === 0)) return null;
  const keyword = leadingKeyword(sets, keywords);
  const run = longestLiteral(sets);
  const literal = run && run.bytes.length >= 2 ? run : null;
  if (!keyword && !literal) return null;
  const accepts = new Uint8Array(sets.length * 256);
  sets.forEach((s, i) => {
    for (const b of s) accepts[i * 256 + b] = 1;
  });
  return { length: sets.length, accepts, keyword, literal, maxLength: extentOf(tree).bytes };
}

/** Does raw[p, p + profile.length) fit the profile? (The caller keeps p + length within the input.) */
export function fitsProfile(profile: StartProfile, raw: Uint8Array, p: number): boolean {
  const accepts = profile.accepts;
  for (let i = 0, row = 0; i < profile.length; i++, row += 256) if (accepts[row + raw[p + i]!] === 0) return false;
  return true;
}
