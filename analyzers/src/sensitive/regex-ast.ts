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

import { complement, normalise, type Range } from './char-ranges.ts';
import { ClassSyntaxError, escapedCode, foldAsciiCase, parseCharClass, perlClass, skipUnicodeClass, type ClassSyntax } from './re2-char-class.ts';

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
  return ranges.some(([, hi]) => hi > 0x7f) ? normalise([...foldAsciiCase(ranges), [0x80, MAX_CP]]) : foldAsciiCase(ranges);
}

/** RE2 has accepted the pattern already: read it leniently. */
const SYNTAX: ClassSyntax = { maxCode: MAX_CP, strict: false };

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
    const perl = perlClass(c, MAX_CP);
    if (perl) {
      this.pos += 2;
      return { kind: 'char', ranges: perl };
    }
    if ('bBAz'.includes(c)) {
      this.pos += 2;
      return { kind: 'empty' };
    }
    if (c === 'p' || c === 'P') {
      this.pos = skipUnicodeClass(src, start);
      return { kind: 'char', ranges: [[0, MAX_CP]] };
    }
    if (c === 'Q') {
      const end = src.indexOf('\\E', start + 2);
      const text = src.slice(start + 2, end === -1 ? src.length : end);
      this.pos = end === -1 ? src.length : end + 2;
      return concat([...text].map((ch) => this.literal(ch.codePointAt(0)!, flags)));
    }
    const code = escapedCode(src, start, SYNTAX);
    if (!code) throw new Unsupported(`escape \\${c}`);
    this.pos = code.end;
    return this.literal(code.value, flags);
  }

  private charClass(flags: Flags): Re2Node {
    const parsed = parseCharClass(this.src, this.pos, SYNTAX);
    this.pos = parsed.end;
    if (parsed.unknown) return { kind: 'char', ranges: [[0, MAX_CP]] };
    let set = normalise(parsed.ranges);
    if (flags.i) set = foldCase(set);
    if (parsed.negated) set = complement(set, MAX_CP);
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
    if (error instanceof Unsupported || error instanceof ClassSyntaxError) return null;
    throw error;
  }
}
