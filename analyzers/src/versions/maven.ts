/**
 * Maven version order: the POM reference's "version order specification", which is what
 * Maven's `ComparableVersion` implements and what OSV's Maven ranges (GitHub advisories)
 * assume. The version is split into tokens at `.`, `-` and digit/letter transitions (a
 * transition counts as `-`); each token remembers its separator. Trailing null tokens (`0`,
 * `""`, `final`, `ga`, `release`) are trimmed before every `-`. Tokens compare pairwise, the
 * shorter version padded with nulls: numbers numerically, qualifiers alpha < beta <
 * milestone < rc = cr < snapshot < "" = ga = final = release < sp < unknown (lexical), and
 * across separators `.qualifier < -qualifier < -number < .number`.
 *
 * Maven 3.9+/4 reads a trailing `.X` qualifier like `-X` (so `2.0.a` = `2-a` < `2-1`): a
 * `.0` directly before a final qualifier is dropped to match. Older Maven (3.8) ordered
 * `2.1.0.beta2` before `2.1.0.RC`; with this rule it does not (see maven.test.ts).
 *
 * Every string parses (Maven accepts any version string); numbers of any length compare
 * exactly. Like Maven 3 itself, the order is not transitive on some odd mixes of `.X`, `-X`
 * and `X1` qualifiers (1 < 1.a < 1a1 < 1).
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

interface Token {
  separator: '.' | '-' | '';
  value: string;
  numeric: boolean;
  /** A padding token, standing in for a missing one. */
  padding: boolean;
}

const KEYWORDS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const isNumeric = (s: string): boolean => /^\d+$/.test(s);
const keywordOrder = (k: string): number => {
  const i = KEYWORDS.indexOf(k);
  return i < 0 ? KEYWORDS.length : i;
};

function separatorOrder(t: Token): number {
  if (t.numeric) return t.separator === '-' ? 2 : 3;
  return t.separator === '-' ? 1 : 0;
}

function token(separator: Token['separator'], value: string): Token {
  return { separator, value, numeric: isNumeric(value), padding: false };
}

const isNull = (t: Token): boolean => t.value === '0' || t.value === '';

export function parseMavenVersion(input: string): Token[] {
  const raw = input.trim().split(/([-.])/);
  const tokens: Token[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    let separator = (i === 0 ? '' : raw[i - 1]) as Token['separator'];
    const pieces = raw[i]!.match(/\d+|\D+/g) ?? [''];
    pieces.forEach((piece, j) => {
      if (j > 0) separator = '-';
      let value = piece.toLowerCase();
      if (value === '') value = '0';
      else if (value === 'cr') value = 'rc';
      else if (value === 'ga' || value === 'final' || value === 'release') value = '';
      // a, b and m are short for alpha, beta and milestone when a number follows.
      if (j < pieces.length - 1) {
        if (value === 'a') value = 'alpha';
        else if (value === 'b') value = 'beta';
        else if (value === 'm') value = 'milestone';
      }
      if (isNumeric(value)) value = value.replace(/^0+(?=\d)/, '');
      tokens.push(token(separator, value));
    });
  }
  const last = tokens.length - 1;
  const beforeLast = tokens[last - 1];
  if (beforeLast && beforeLast.value === '0' && beforeLast.separator === '.' && tokens[last]!.separator === '.' && !tokens[last]!.numeric) {
    tokens.splice(last - 1, 1);
  }
  // Trim trailing nulls, then again before each remaining `-`, from the end to the start.
  let i = tokens.length - 1;
  while (i > 0) {
    if (isNull(tokens[i]!)) {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && tokens[i]!.separator !== '-') i--;
    i--;
  }
  return tokens;
}

function padding(other: Token): Token {
  if (other.separator === '-') return { separator: '-', value: '', numeric: false, padding: true };
  // `sp` is the only qualifier after the release: pad it with "" so that 1.sp > 1.
  const value = other.value === 'sp' ? '' : '0';
  return { separator: '.', value, numeric: value === '0', padding: true };
}

const sameToken = (a: Token, b: Token): boolean => a.separator === b.separator && a.value === b.value;

function compareTokens(a: Token, b: Token): number {
  if (a.separator !== b.separator) return separatorOrder(a) - separatorOrder(b);
  if (a.numeric && b.numeric) return compareDigitStrings(a.value, b.value);
  // Numbers sort after qualifiers, unless the number is padding.
  if (a.numeric && !a.padding) return 1;
  if (b.numeric && !b.padding) return -1;
  const l = keywordOrder(a.value);
  const r = keywordOrder(b.value);
  if (l === KEYWORDS.length && r === KEYWORDS.length) return a.value < b.value ? -1 : 1;
  return l - r;
}

export function compareMavenParsed(a: Token[], b: Token[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? padding(b[i]!);
    const r = b[i] ?? padding(a[i]!);
    if (sameToken(l, r)) continue;
    return compareTokens(l, r);
  }
  return 0;
}

export const mavenScheme: VersionScheme<Token[]> = {
  name: 'maven',
  parse: parseMavenVersion,
  compare: compareMavenParsed,
  isValid: () => true,
};
