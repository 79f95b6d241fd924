/**
 * The regex engine of the secret rules: Google's RE2 (the `re2` native bindings), the same
 * automata-based engine family as Go's `regexp` that gitleaks uses. Matching time is linear
 * in the input whatever the pattern, so no rule (built-in, user or hostile) can make a scan
 * backtrack. Patterns and inputs are bytes (Buffers), as in Go: offsets are byte offsets and
 * non-ASCII text is matched as UTF-8.
 *
 * RE2 accepts a few JavaScript-isms that Go's parser rejects (the bindings translate them);
 * they are refused here so a rule file means what it means to gitleaks.
 */
import RE2 from 're2';

export class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(`${message} in /${pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern}/`);
  }
}

/** Escapes Go's parser rejects but the bindings would translate into something else. */
const NOT_GO_SYNTAX: Array<[RegExp, string]> = [
  [/\\c/, '\\c (control escape) is not RE2 syntax'],
  [/\\u/, '\\u (UTF-16 escape) is not RE2 syntax: use \\x{…}'],
  [/\\C/, '\\C (any byte) is not accepted by Go'],
  [/\\[pP]\{[^}]*=/, '\\p{name=value} is not RE2 syntax'],
];

/** Counts unescaped `\` before each offending escape: `\\c` is a backslash then `c`, fine. */
function findEscape(pattern: string, probe: RegExp): boolean {
  const re = new RegExp(probe.source, 'g');
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    let slashes = 0;
    for (let i = m.index - 1; i >= 0 && pattern[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 0) return true;
  }
  return false;
}

/**
 * The pattern with its capture groups made non-capturing: same matches, but RE2 can find
 * them with its DFAs alone (asking for groups over a long text can make it fall back to its
 * slower NFA). Escapes, character classes and `(?flags)` / `(?P<name>` groups are respected.
 */
export function withoutCaptures(source: string): string {
  return stripCaptures(source).text;
}

/** withoutCaptures, and how many groups it made non-capturing. */
function stripCaptures(source: string): { text: string; captures: number } {
  let captures = 0;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const end = source.indexOf(':]', i + 2);
        if (end !== -1) {
          out += source.slice(i, end + 2);
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A `]` (or `^]`) right after the opening bracket is a literal.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
    } else if (c === '(' && source[i + 1] !== '?') {
      out += '(?:';
      captures++;
    } else if (c === '(' && /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(source.slice(i))) {
      const m = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(source.slice(i))!;
      out += '(?:';
      captures++;
      i += m[0].length - 1;
    } else {
      out += c;
    }
  }
  return { text: out, captures };
}

export interface CompiledPattern {
  /** The RE2 source, as written in the rule file. */
  readonly source: string;
  /** Global matcher for scanning a whole buffer (`lastIndex` walks it); no capture groups. */
  readonly scanner: RE2;
  /** Non-global matcher with capture offsets, for one-off matches. */
  readonly single: RE2;
  /** Number of capture groups. */
  readonly groups: number;
}

/**
 * How a rule file's regexes are compiled. `checked`: they are known to compile (the built-in
 * rules, which the tests compile one by one), so each is compiled on its first use instead of
 * at load: every layer worker loads the rules at its start, and most never run on a given image.
 */
export interface CompileMode {
  checked: boolean;
}

/**
 * Compiles an RE2 pattern, or throws RegexSyntaxError with RE2's message (a `checked` one: when
 * first used). The scanner is compiled on its first use: most rules never run on a given image
 * (their keywords do not occur), and every layer worker compiles the whole rule set on a scan's path.
 */
export function compilePattern(source: string, mode: CompileMode = { checked: false }): CompiledPattern {
  for (const [probe, why] of NOT_GO_SYNTAX) if (findEscape(source, probe)) throw new RegexSyntaxError(why, source);
  try {
    const compileSingle = () => new RE2(Buffer.from(source, 'utf8'), 'du');
    let single: RE2 | null = mode.checked ? null : compileSingle();
    const pattern = { source, groups: countGroups(source) } as CompiledPattern;
    let scanner: RE2 | null = null;
    // Not enumerable: JSON of a rule (its analyzer version) stays `{source, groups}`, and does not compile it.
    Object.defineProperty(pattern, 'single', { enumerable: false, get: () => (single ??= compileSingle()) });
    Object.defineProperty(pattern, 'scanner', { enumerable: false, get: () => (scanner ??= new RE2(Buffer.from(withoutCaptures(source), 'utf8'), 'gu')) });
    return pattern;
  } catch (error) {
    if (error instanceof RegexSyntaxError) throw error;
    throw new RegexSyntaxError((error as Error).message, source);
  }
}

/**
 * The pattern's capture groups: counted from the source as withoutCaptures finds them (no
 * second compile), except in `\Q…\E` quoted text, which that reading does not know: there RE2
 * is asked (`probeGroups`). regex-engine.test.ts checks both agree on every built-in and gitleaks rule.
 */
function countGroups(source: string): number {
  return source.includes('\\Q') ? probeGroups(source) : stripCaptures(source).captures;
}

/** RE2's own count: `(?:|…)` always matches the empty string at 0, with every group of … unset (RE2 pads them). */
export function probeGroups(source: string): number {
  const probe = new RE2(Buffer.from(`(?:|${source})`, 'utf8'), 'u');
  const m = execBytes(probe, Buffer.alloc(0));
  return m ? m.length - 1 : 0;
}

const anchoredScanners = new WeakMap<CompiledPattern, RE2>();

/**
 * The pattern's scanner anchored at `lastIndex` (sticky): a match starting exactly there or none,
 * for checking one candidate start without a search through the rest of the input. Built on
 * first use (most rules never need one).
 */
export function anchoredScanner(p: CompiledPattern): RE2 {
  let re = anchoredScanners.get(p);
  if (!re) anchoredScanners.set(p, (re = new RE2(Buffer.from(withoutCaptures(p.source), 'utf8'), 'yu')));
  return re;
}

/** A match on bytes: the match and each group (undefined when it did not take part), offsets in bytes. */
export type ByteMatch = Array<Buffer | undefined> & { index: number; indices?: Array<[number, number] | undefined> };

/** `re.exec` on a buffer, typed (the bindings' typings omit the array part). */
export function execBytes(re: RE2, input: Buffer): ByteMatch | null {
  return re.exec(input) as unknown as ByteMatch | null;
}

/** True when the pattern matches somewhere in the bytes (or the string, encoded as UTF-8). */
export function matches(p: CompiledPattern, input: Buffer | string): boolean {
  return p.single.test(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
}
