/**
 * Translates a Go RE2 pattern (the syntax gitleaks rules are written in) into a JavaScript
 * RegExp source with the same meaning, for matching text decoded as latin1 (one char per
 * byte, so offsets are byte offsets and non-ASCII literals become their UTF-8 bytes).
 *
 * Why hand-written: Node 20 has no `(?i:…)` modifiers, and RE2 differs from JS in `.`, `$`,
 * `\s`, `\z`, POSIX classes and inline flags. So case-insensitivity is expanded per literal
 * (`a` → `[aA]`) and per class range; anchors and `.` become explicit lookarounds/classes;
 * constructs RE2 itself rejects (backreferences, lookaround, possessive or nested
 * repetition) are rejected here too, with a message.
 */

import { complement, normalise, type Range } from './char-ranges.ts';
import { ClassSyntaxError, escapedCode, foldAsciiCase, parseCharClass, perlClass, type ClassSyntax } from './re2-char-class.ts';

export class Re2SyntaxError extends Error {
  constructor(message: string, readonly pattern: string, readonly offset: number) {
    super(`${message} at offset ${offset} in /${pattern.length > 80 ? pattern.slice(0, 80) + '…' : pattern}/`);
    this.name = 'Re2SyntaxError';
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_CODE = 0xffff;
const MAX_REPEAT = 1000;

/** Only what translates to a byte-wise JS class is accepted. */
const SYNTAX: ClassSyntax = { maxCode: MAX_CODE, strict: true };

function hex(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function classSource(ranges: Range[]): string {
  const items = normalise(ranges).map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`));
  return items.length === 0 ? '[^\\s\\S]' : `[${items.join('')}]`;
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAlnum = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39);

/** One literal code point as a JS atom: UTF-8 bytes for non-ASCII, `[aA]` when folding case. */
function literal(code: number, flags: Flags): string {
  if (code > 0x7f) {
    const bytes = Buffer.from(String.fromCodePoint(code), 'utf8');
    return `(?:${[...bytes].map(hex).join('')})`;
  }
  if (flags.i && isLetter(code)) return `[${String.fromCharCode(code & ~0x20)}${String.fromCharCode(code | 0x20)}]`;
  return isAlnum(code) ? String.fromCharCode(code) : hex(code);
}

class Translator {
  private pos = 0;
  private out = '';
  /** True when the last emitted item can take a quantifier. */
  private hasAtom = false;
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private readonly stack: Array<{ flags: Flags }> = [];

  constructor(private readonly src: string) {}

  private fail(message: string, at = this.pos): never {
    throw new Re2SyntaxError(message, this.src, at);
  }

  translate(): string {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      switch (c) {
        case '(':
          this.openGroup();
          break;
        case ')':
          if (this.stack.length === 0) this.fail('unexpected )');
          this.flags = this.stack.pop()!.flags;
          this.out += ')';
          this.pos++;
          this.hasAtom = true;
          break;
        case '|':
          this.out += '|';
          this.pos++;
          this.hasAtom = false;
          break;
        case '*':
        case '+':
        case '?':
        case '{':
          if (!this.quantifier()) this.atom(literal(c.charCodeAt(0), this.flags), 1);
          break;
        case '[':
          this.atom(this.charClass(), 0);
          break;
        case '\\':
          this.escape();
          break;
        case '.':
          this.atom(this.flags.s ? '[\\s\\S]' : '[^\\n]', 1);
          break;
        case '^':
          this.anchor(this.flags.m ? '(?<![^\\n])' : '(?<![\\s\\S])');
          break;
        case '$':
          this.anchor(this.flags.m ? '(?![^\\n])' : '(?![\\s\\S])');
          break;
        default:
          this.atom(literal(src.codePointAt(this.pos)!, this.flags), c.length);
          if (src.codePointAt(this.pos - 1)! > 0xffff) this.pos++;
      }
    }
    if (this.stack.length > 0) this.fail('missing )');
    return this.out;
  }

  private atom(source: string, advance: number): void {
    this.out += source;
    this.pos += advance;
    this.hasAtom = true;
  }

  private anchor(source: string): void {
    // Wrapped: RE2 allows `^*` (a repeated empty-width assertion); JS rejects a bare quantified lookaround.
    this.out += `(?:${source})`;
    this.pos++;
    this.hasAtom = true;
  }

  private openGroup(): void {
    const src = this.src;
    const start = this.pos;
    if (src[start + 1] !== '?') {
      this.stack.push({ flags: { ...this.flags } });
      this.out += '(';
      this.pos++;
      this.hasAtom = false;
      return;
    }
    const rest = src.slice(start + 2);
    const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      // Names are dropped (JS rejects duplicates RE2 allows); numbering stays the same.
      this.stack.push({ flags: { ...this.flags } });
      this.out += '(';
      this.pos = start + 2 + named[0].length;
      this.hasAtom = false;
      return;
    }
    const flagGroup = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
    if (!flagGroup || (flagGroup[2] !== undefined && flagGroup[2] === '') || flagGroup[0] === ')') {
      this.fail(rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<') ? 'lookaround is not RE2 syntax' : 'invalid or unsupported group flags', start);
    }
    const next: Flags = { ...this.flags };
    for (const f of flagGroup[1] ?? '') next[f as keyof Flags] = true;
    for (const f of flagGroup[2] ?? '') next[f as keyof Flags] = false;
    this.pos = start + 2 + flagGroup[0].length;
    if (flagGroup[3] === ')') {
      this.flags = next; // applies to the rest of the enclosing group
      return;
    }
    this.stack.push({ flags: { ...this.flags } });
    this.flags = next;
    this.out += '(?:';
    this.hasAtom = false;
  }

  /** Parses a repetition at pos; false when `{` is not a repetition (then it is a literal). */
  private quantifier(): boolean {
    const src = this.src;
    const start = this.pos;
    let q: string;
    const c = src[start]!;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(start));
      if (!m) return false;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min) this.fail('invalid repeat count', start);
      q = m[0];
      this.pos += m[0].length;
    } else {
      q = c;
      this.pos++;
    }
    if (!this.hasAtom) this.fail(`missing argument to repetition operator ${q}`, start);
    let lazy = false;
    if (src[this.pos] === '?') {
      lazy = true;
      this.pos++;
    }
    const after = src[this.pos];
    if (after === '*' || after === '+' || after === '?' || (after === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(this.pos)))) {
      this.fail('invalid nested repetition operator (possessive quantifiers are not RE2)', this.pos);
    }
    if (this.flags.U) lazy = !lazy;
    this.out += q + (lazy ? '?' : '');
    this.hasAtom = false;
    return true;
  }

  private escape(): void {
    const src = this.src;
    const start = this.pos;
    const c = src[start + 1];
    if (c === undefined) this.fail('trailing backslash', start);
    const perl = perlClass(c, MAX_CODE);
    if (perl) return this.atom(classSource(perl), 2);
    if (c === 'b' || c === 'B') {
      this.out += `\\${c}`;
      this.pos += 2;
      this.hasAtom = true;
      return;
    }
    if (c === 'A') {
      this.pos += 1;
      return this.anchor('(?<![\\s\\S])');
    }
    if (c === 'z') {
      this.pos += 1;
      return this.anchor('(?![\\s\\S])');
    }
    if (c === 'Q') {
      const end = src.indexOf('\\E', start + 2);
      const text = src.slice(start + 2, end === -1 ? src.length : end);
      this.pos = end === -1 ? src.length : end + 2;
      if (text.length > 0) {
        this.out += `(?:${[...text].map((ch) => literal(ch.codePointAt(0)!, this.flags)).join('')})`;
        this.hasAtom = true;
      }
      return;
    }
    const code = escapedCode(src, start, SYNTAX);
    if (code === null) this.fail(`invalid or unsupported escape \\${c}`, start);
    this.out += literal(code.value, this.flags);
    this.pos = code.end;
    this.hasAtom = true;
  }

  private charClass(): string {
    let parsed;
    try {
      parsed = parseCharClass(this.src, this.pos, SYNTAX);
    } catch (error) {
      if (error instanceof ClassSyntaxError) this.fail(error.message, error.offset);
      throw error;
    }
    this.pos = parsed.end;
    let set = normalise(parsed.ranges);
    if (this.flags.i) set = foldAsciiCase(set);
    if (parsed.negated) set = complement(set, MAX_CODE);
    return classSource(set);
  }
}

export interface TranslatedPattern {
  source: string;
}

/** Translates an RE2 pattern to a JS RegExp source (no flags needed). Throws Re2SyntaxError. */
export function translateRe2(pattern: string): TranslatedPattern {
  return { source: new Translator(pattern).translate() };
}

/** Compiles an RE2 pattern into a JS RegExp; `flags` may add `g`, `y` or `d` (never `i`, `m`, `s`, `u`). */
export function compileRe2(pattern: string, flags = ''): RegExp {
  const { source } = translateRe2(pattern);
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new Re2SyntaxError(`translated pattern rejected by JS (${(error as Error).message})`, pattern, 0);
  }
}
