/**
 * RE2 (Go) regex syntax read into a small tree: enough to reason about what a rule can match
 * (which literal it must contain, how far a match can reach), never to match. RE2 itself has
 * already accepted the pattern (compilePattern); anything this reader does not follow returns
 * null, and the caller then makes no claim about the pattern (it is scanned whole).
 *
 * Characters are code points. Case-insensitive ASCII letters are expanded to their ASCII pair
 * only: RE2 also folds `k` to U+212A (Kelvin sign) and `s` to U+017F (long s), and callers that
 * rely on literals must check the input holds neither (see FOLD_ONLY_BYTES).
 */

import { complement, DIGIT, normalise, POSIX, SPACE, WORD, type Range } from './char-ranges.ts';

export type Re2Node =
  /** One character from these code point ranges (sorted, disjoint). */
  | { kind: 'char'; ranges: Range[] }
  /** Zero-width: assertions (`^ $ \A \z \b \B`) and the empty pattern. */
  | { kind: 'empty' }
  | { kind: 'concat'; items: Re2Node[] }
  | { kind: 'alternate'; items: Re2Node[] }
  | { kind: 'repeat'; item: Re2Node; min: number; max: number };

/** UTF-8 of the two characters RE2 folds onto ASCII letters (k, s) beyond ASCII's own pairs. */
export const FOLD_ONLY_BYTES = [Buffer.from('\u212a', 'utf8'), Buffer.from('\u017f', 'utf8')];

const MAX_CP = 0x10ffff;

/**
 * Adds the other ASCII case of every ASCII letter. Non-ASCII letters fold in RE2 along Unicode
 * orbits whose members can be wider in UTF-8 (ß and ẞ): a range reaching past ASCII becomes
 * "any non-ASCII character", which over-counts bytes but never under-counts them.
 */
function foldCase(ranges: Range[]): Range[] {
  const extra: Range[] = [];
  for (const [lo, hi] of ranges) {
    for (const [a, z, shift] of [[0x61, 0x7a, -32], [0x41, 0x5a, 32]] as const) {
      const from = Math.max(lo, a);
      const to = Math.min(hi, z);
      if (from <= to) extra.push([from + shift, to + shift]);
    }
    if (hi > 0x7f) extra.push([0x80, MAX_CP]);
  }
  return normalise([...ranges, ...extra]);
}

interface Flags {
  i: boolean;
  s: boolean;
}

class Unsupported extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Re2Node {
    const node = this.alternation({ i: false, s: false });
    if (this.pos !== this.src.length) throw new Unsupported(`unexpected ${this.src[this.pos]}`);
    return node;
  }

  /** Alternatives up to `)` or the end; flags set by `(?i)` last until the enclosing group ends. */
  private alternation(outer: Flags): Re2Node {
    const flags = { ...outer };
    const alternatives: Re2Node[] = [];
    let items: Re2Node[] = [];
    const src = this.src;
    while (this.pos < src.length && src[this.pos] !== ')') {
      const c = src[this.pos]!;
      if (c === '|') {
        alternatives.push(concat(items));
        items = [];
        this.pos++;
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(this.pos)))) {
        const last = items.pop();
        if (!last) throw new Unsupported('repetition of nothing');
        items.push(this.repetition(last));
        continue;
      }
      const atom = this.atom(flags);
      if (atom) items.push(atom);
    }
    alternatives.push(concat(items));
    return alternatives.length === 1 ? alternatives[0]! : { kind: 'alternate', items: alternatives };
  }

  private repetition(item: Re2Node): Re2Node {
    const src = this.src;
    const c = src[this.pos]!;
    let min: number;
    let max: number;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.pos))!;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.pos += m[0].length;
    } else {
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
      this.pos++;
    }
    if (src[this.pos] === '?') this.pos++; // laziness changes which match, not what can match
    return { kind: 'repeat', item, min, max };
  }

  /** One atom, or null for a flag group `(?i)` that only changes the flags. */
  private atom(flags: Flags): Re2Node | null {
    const src = this.src;
    const c = src[this.pos]!;
    if (c === '(') return this.group(flags);
    if (c === '[') return this.charClass(flags);
    if (c === '.') {
      this.pos++;
      return { kind: 'char', ranges: flags.s ? [[0, MAX_CP]] : [[0, 9], [11, MAX_CP]] };
    }
    if (c === '^' || c === '$') {
      this.pos++;
      return { kind: 'empty' };
    }
    if (c === '\\') return this.escape(flags);
    const cp = src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return this.literal(cp, flags);
  }

  private literal(cp: number, flags: Flags): Re2Node {
    const ranges: Range[] = [[cp, cp]];
    return { kind: 'char', ranges: flags.i ? foldCase(ranges) : ranges };
  }

  private group(flags: Flags): Re2Node | null {
    const src = this.src;
    const start = this.pos;
    let inner = flags;
    if (src[start + 1] === '?') {
      const rest = src.slice(start + 2);
      const named = /^P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (named) {
        this.pos = start + 2 + named[0].length;
      } else {
        const f = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (!f) throw new Unsupported('group syntax');
        const next = { ...flags };
        for (const x of f[1] ?? '') if (x === 'i' || x === 's') next[x] = true;
        for (const x of f[2] ?? '') if (x === 'i' || x === 's') next[x] = false;
        this.pos = start + 2 + f[0].length;
        if (f[3] === ')') {
          // `(?i)`: the rest of the enclosing group.
          Object.assign(flags, next);
          return null;
        }
        inner = next;
      }
    } else {
      this.pos++;
    }
    const node = this.alternation(inner);
    if (src[this.pos] !== ')') throw new Unsupported('missing )');
    this.pos++;
    return node;
  }

  private escape(flags: Flags): Re2Node {
    const src = this.src;
    const start = this.pos;
    const c = src[start + 1];
    if (c === undefined) throw new Unsupported('trailing backslash');
    const sets: Record<string, Range[]> = { d: DIGIT, w: WORD, s: SPACE };
    if (c.toLowerCase() in sets) {
      this.pos += 2;
      const set = sets[c.toLowerCase()]!;
      return { kind: 'char', ranges: c === c.toLowerCase() ? set : complement(set, MAX_CP) };
    }
    if ('bBAz'.includes(c)) {
      this.pos += 2;
      return { kind: 'empty' };
    }
    if (c === 'p' || c === 'P') {
      this.skipUnicodeClass();
      return { kind: 'char', ranges: [[0, MAX_CP]] };
    }
    if (c === 'Q') {
      const end = src.indexOf('\\E', start + 2);
      const text = src.slice(start + 2, end === -1 ? src.length : end);
      this.pos = end === -1 ? src.length : end + 2;
      return concat([...text].map((ch) => this.literal(ch.codePointAt(0)!, flags)));
    }
    const code = this.escapedCode(start);
    this.pos = code.end;
    return this.literal(code.value, flags);
  }

  private skipUnicodeClass(): void {
    const src = this.src;
    if (src[this.pos + 2] === '{') {
      const end = src.indexOf('}', this.pos);
      if (end === -1) throw new Unsupported('\\p{');
      this.pos = end + 1;
    } else {
      this.pos += 3;
    }
  }

  private escapedCode(start: number): { value: number; end: number } {
    const src = this.src;
    const c = src[start + 1]!;
    const controls: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in controls) return { value: controls[c]!, end: start + 2 };
    if (c === 'x') {
      const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(src.slice(start + 2));
      if (braced) return { value: parseInt(braced[1]!, 16), end: start + 2 + braced[0].length };
      const two = /^[0-9A-Fa-f]{2}/.exec(src.slice(start + 2));
      if (!two) throw new Unsupported('\\x');
      return { value: parseInt(two[0], 16), end: start + 4 };
    }
    const octal = /^(?:0[0-7]{0,2}|[1-7][0-7]{1,2})/.exec(src.slice(start + 1));
    if (octal) return { value: parseInt(octal[0], 8), end: start + 1 + octal[0].length };
    const cp = src.codePointAt(start + 1)!;
    if (/[A-Za-z0-9]/.test(c)) throw new Unsupported(`escape \\${c}`);
    return { value: cp, end: start + 1 + (cp > 0xffff ? 2 : 1) };
  }

  private charClass(flags: Flags): Re2Node {
    const src = this.src;
    const start = this.pos;
    let i = start + 1;
    let negated = false;
    if (src[i] === '^') {
      negated = true;
      i++;
    }
    const ranges: Range[] = [];
    let unknown = false; // a \p class: its exact set is not known here
    let first = true;
    for (;;) {
      if (i >= src.length) throw new Unsupported('missing ]');
      const c = src[i]!;
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m && POSIX[m[2]!]) {
          const set = POSIX[m[2]!]!;
          ranges.push(...(m[1] ? complement(set, MAX_CP) : set));
          i += m[0].length;
          continue;
        }
      }
      let lo: number;
      if (c === '\\') {
        const e = src[i + 1] ?? '';
        const sets: Record<string, Range[]> = { d: DIGIT, w: WORD, s: SPACE };
        if (e.toLowerCase() in sets) {
          const set = sets[e.toLowerCase()]!;
          ranges.push(...(e === e.toLowerCase() ? set : complement(set, MAX_CP)));
          i += 2;
          continue;
        }
        if (e === 'p' || e === 'P') {
          this.pos = i;
          this.skipUnicodeClass();
          i = this.pos;
          unknown = true;
          continue;
        }
        const code = this.escapedCode(i);
        lo = code.value;
        i = code.end;
      } else {
        lo = src.codePointAt(i)!;
        i += lo > 0xffff ? 2 : 1;
      }
      let hi = lo;
      if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        i++;
        if (src[i] === '\\') {
          const code = this.escapedCode(i);
          hi = code.value;
          i = code.end;
        } else {
          hi = src.codePointAt(i)!;
          i += hi > 0xffff ? 2 : 1;
        }
      }
      ranges.push([lo, hi]);
    }
    this.pos = i;
    if (unknown) return { kind: 'char', ranges: [[0, MAX_CP]] };
    let set = normalise(ranges);
    if (flags.i) set = foldCase(set);
    if (negated) set = complement(set, MAX_CP);
    return { kind: 'char', ranges: set };
  }
}

function concat(items: Re2Node[]): Re2Node {
  const kept = items.filter((n) => n.kind !== 'empty' || items.length === 1);
  if (kept.length === 0) return { kind: 'empty' };
  return kept.length === 1 ? kept[0]! : { kind: 'concat', items: kept };
}

/** The tree of an RE2 pattern, or null when this reader does not follow it. */
export function parseRe2(source: string): Re2Node | null {
  try {
    return new Parser(source).parse();
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}
