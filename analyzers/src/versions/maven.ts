/**
 * Maven version order as OSV's matchers evaluate Maven ranges (OSV-Scanner's osv-scalibr
 * `semantic`, osv.dev's `ecosystems/maven.py`): the POM reference's "version order
 * specification", a token-by-token reading of Maven 3's `ComparableVersion`. On real versions
 * it is Maven 3.8's order: OSV-Scanner's chains of advisory versions (sorted by maven-artifact
 * 3.8.6) agree with it link for link.
 *
 * The version is split into tokens at `.`, `-` and digit/letter transitions (a transition
 * counts as `-`); each token remembers its separator. Trailing null tokens (`0`, `""`, `final`,
 * `ga`, `release`) are trimmed before every `-`. Tokens compare pairwise, the shorter version
 * padded with nulls: numbers numerically, qualifiers alpha < beta < milestone < rc = cr <
 * snapshot < "" = ga = final = release < sp < unknown (lexical), and across separators
 * `.qualifier < -qualifier < -number < .number`.
 *
 * Not Maven 4 (nor 3.8.8+/3.9): their rule reading a `.X` qualifier like `-X` (MNG-7644) puts
 * `1.5.9.RC1` after `1.5.9-RC0` and `6.1.12.rc5` after `6.1.12rc1`, against OSV's chains; here
 * `X.0.RC` stays a dotted qualifier, so `4.1.0.M1 < 4.1.0.RC` and `3.1.0.Alpha3 < 3.1.0.Beta`.
 * maven.test.ts lists the row of Maven 4's own test table this makes disagree, and why.
 *
 * Where OSV's reading and Maven's nested lists part (only on odd strings: `1-ga-1` is `1-1`
 * here and in OSV's own tests, Maven puts `1-1` above it), OSV wins: its verdicts are the ones
 * we reproduce. Every string parses (Maven accepts any version string); numbers of any length
 * compare exactly. Like Maven 3 itself, the order is not transitive on some odd mixes of `.X`,
 * `-X` and `X1` qualifiers (`1 < 1.a < 1a1 < 1`).
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
