/**
 * RE2 (Go) syntax for one character: bracketed classes `[...]` and single-character escapes.
 * Shared by both readers of rule patterns: re2-to-js.ts (strict: what it cannot translate is an
 * error) and regex-ast.ts (lenient: RE2 has already accepted the pattern, and a class it cannot
 * pin down, such as `\p{Greek}`, is reported as unknown rather than refused).
 */

import { complement, DIGIT, normalise, POSIX, SPACE, WORD, type Range } from './char-ranges.ts';

/** A construct the strict reader refuses, or that neither reader follows; `offset` is in the pattern. */
export class ClassSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ClassSyntaxError';
  }
}

export interface ClassSyntax {
  /** Largest code point (complements of `\D`, `[^…]`, `[[:^alpha:]]` reach up to it). */
  maxCode: number;
  /**
   * Strict: unknown POSIX names, `\p` classes, reversed ranges, non-ASCII members and escapes
   * of anything but ASCII punctuation are errors. Lenient: an unknown POSIX name is a literal
   * `[`, a `\p` class makes the class unknown, any non-alphanumeric character may be escaped.
   */
  strict: boolean;
}

/** The Perl classes `\d \w \s` (and their negations `\D \W \S`), or undefined for another letter. */
export function perlClass(letter: string, maxCode: number): Range[] | undefined {
  const sets: Record<string, Range[]> = { d: DIGIT, w: WORD, s: SPACE };
  const set = sets[letter.toLowerCase()];
  if (!set) return undefined;
  return letter === letter.toLowerCase() ? set : complement(set, maxCode);
}

const isAsciiAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/**
 * The escape at `start` (a backslash) that denotes one character: `\n`-style controls, `\x41`,
 * `\x{263a}`, octal, or an escaped punctuation character. Null when it is none of those.
 */
export function escapedCode(src: string, start: number, syntax: ClassSyntax): { value: number; end: number } | null {
  const c = src[start + 1];
  if (c === undefined) return null;
  const controls: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
  if (c in controls) return { value: controls[c]!, end: start + 2 };
  if (c === 'x') {
    const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(src.slice(start + 2));
    if (braced) return { value: parseInt(braced[1]!, 16), end: start + 2 + braced[0].length };
    const two = /^[0-9A-Fa-f]{2}/.exec(src.slice(start + 2));
    return two ? { value: parseInt(two[0], 16), end: start + 4 } : null;
  }
  const octal = /^(?:0[0-7]{0,2}|[1-7][0-7]{1,2})/.exec(src.slice(start + 1));
  if (octal) return { value: parseInt(octal[0], 8), end: start + 1 + octal[0].length };
  if (isAsciiAlnum(c)) return null;
  const cp = src.codePointAt(start + 1)!;
  // RE2 allows escaping any ASCII punctuation; the strict reader takes nothing else.
  if (syntax.strict && (cp >= 0x80 || cp <= 0x20)) return null;
  return { value: cp, end: start + 1 + (cp > 0xffff ? 2 : 1) };
}

/** Skips `\pL` or `\p{Name}` at `at`; returns the offset after it. */
export function skipUnicodeClass(src: string, at: number): number {
  if (src[at + 2] === '{') {
    const end = src.indexOf('}', at);
    if (end === -1) throw new ClassSyntaxError('\\p{', at);
    return end + 1;
  }
  return at + 3;
}

export interface ParsedClass {
  /** The members as written (not yet normalised, case-folded or negated). */
  ranges: Range[];
  negated: boolean;
  /** A `\p` class was in it (lenient only): its exact set is not known here. */
  unknown: boolean;
  /** Offset just past the closing `]`. */
  end: number;
}

/** The bracketed class starting at `start` (its `[`). */
export function parseCharClass(src: string, start: number, syntax: ClassSyntax): ParsedClass {
  let i = start + 1;
  let negated = false;
  if (src[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Range[] = [];
  let unknown = false;
  let first = true;
  for (;;) {
    if (i >= src.length) throw new ClassSyntaxError('missing ]', start);
    const c = src[i]!;
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    if (c === '[' && src[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (m && (POSIX[m[2]!] || syntax.strict)) {
        const set = POSIX[m[2]!];
        if (!set) throw new ClassSyntaxError(`invalid character class [:${m[2]}:]`, i);
        ranges.push(...(m[1] ? complement(set, syntax.maxCode) : set));
        i += m[0].length;
        continue;
      }
    }
    let lo: number;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      const perl = e === '' ? undefined : perlClass(e, syntax.maxCode);
      if (perl) {
        ranges.push(...perl);
        i += 2;
        continue;
      }
      if (!syntax.strict && (e === 'p' || e === 'P')) {
        i = skipUnicodeClass(src, i);
        unknown = true;
        continue;
      }
      const code = escapedCode(src, i, syntax);
      if (code === null) throw new ClassSyntaxError(`invalid or unsupported escape \\${e} in class`, i);
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
        const code = escapedCode(src, i, syntax);
        if (code === null) throw new ClassSyntaxError('invalid range end in class', i);
        hi = code.value;
        i = code.end;
      } else {
        hi = src.codePointAt(i)!;
        i += hi > 0xffff ? 2 : 1;
      }
      if (syntax.strict && hi < lo) throw new ClassSyntaxError('invalid character class range', i);
    }
    if (syntax.strict && lo > 0x7f) throw new ClassSyntaxError('non-ASCII characters in classes are not supported (matching is byte-wise)', i);
    ranges.push([lo, hi]);
  }
  return { ranges, negated, unknown, end: i };
}

/** The ranges with the other ASCII case of every ASCII letter added (normalised). */
export function foldAsciiCase(ranges: Range[]): Range[] {
  const extra: Range[] = [];
  for (const [lo, hi] of ranges) {
    for (const [a, z, shift] of [[0x61, 0x7a, -32], [0x41, 0x5a, 32]] as const) {
      const from = Math.max(lo, a);
      const to = Math.min(hi, z);
      if (from <= to) extra.push([from + shift, to + shift]);
    }
  }
  return normalise([...ranges, ...extra]);
}
