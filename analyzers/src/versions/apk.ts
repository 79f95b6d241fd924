/**
 * Alpine (apk) version order, to apk-tools' own definition (src/version.c, apk-package(5)):
 * `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`. The version is read as a
 * sequence of tokens; tokens of the same type compare by value (digit runs after the first
 * one compare as strings when either has a leading zero), and the first difference in
 * token type decides: the version that ends first is older, unless the other continues with
 * a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`).
 *
 * Versions are read into a structured key, in the same spirit as OSV-Scanner, so that
 * every string has a place (apk 3 rejects, for example, the `5.7.1p1` that older apk
 * accepted and Alpine advisories still carry): numbers, letter, `_suffix#`s, `~hash`,
 * `-r#` (missing or empty is -r0), then whatever is left over, which makes a version older;
 * two versions with unreadable left-overs and otherwise equal compare as plain strings.
 * On valid versions this is apk's token order (digits after the first with a leading zero
 * compare as strings; the version that ends first is older unless the other continues with
 * a pre-release suffix), except that `1` equals `1-r0` here (apk: just before).
 * Fuzzy matching (`~`) uses apk's own token walk.
 * `isValid` is apk's `apk_version_validate`.
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

const enum Tok {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
  Invalid,
}

const SUFFIX_NONE = 5;
const SUFFIXES: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };

interface Token {
  type: Tok;
  /** Raw text of the token (digits, letter, suffix word or hash). */
  text: string;
  /** Numeric value for digit-like tokens (as a digit string, compared by length then text). */
  suffix: number;
}

export interface ApkVersion {
  original: string;
  tokens: Token[];
  valid: boolean;
  /** Lenient reading, computed only for invalid versions (and their counterparts) on demand. */
  lenient: LenientApk | undefined;
}

interface LenientApk {
  components: string[];
  letter: string;
  suffixes: { weight: number; number: string | null }[];
  hash: string | null;
  revision: string;
  remainder: string;
  unreadable: boolean;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);

function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Tokenises until the end or the first invalid token (which is kept, as the terminator). */
export function parseApkVersion(input: string): ApkVersion {
  const s = input;
  const tokens: Token[] = [];
  let i = digitsEnd(s, 0);
  let type: Tok = i > 0 ? Tok.InitialDigit : Tok.Invalid;
  tokens.push({ type, text: s.slice(0, i), suffix: 0 });
  while (type < Tok.End) {
    if (i >= s.length) {
      type = Tok.End;
      tokens.push({ type, text: '', suffix: 0 });
      break;
    }
    const c = s.charCodeAt(i);
    let text = '';
    let suffix = 0;
    let next: Tok = Tok.Invalid;
    if (isLower(c)) {
      if (type <= Tok.Digit) {
        next = Tok.Letter;
        text = s[i]!;
        i++;
      }
    } else if (c === 46 /* . */ || isDigit(c)) {
      if (c === 46 && type > Tok.Digit) next = Tok.Invalid;
      else if (type === Tok.InitialDigit || type === Tok.Digit) next = Tok.Digit;
      else if (type === Tok.Suffix && c !== 46) next = Tok.SuffixNo;
      else if (type === Tok.Letter && c !== 46) next = Tok.Invalid;
      if (next !== Tok.Invalid) {
        if (c === 46) i++;
        const end = digitsEnd(s, i);
        text = s.slice(i, end);
        i = end;
        if (text === '') next = Tok.Invalid;
      }
    } else if (c === 95 /* _ */) {
      if (type <= Tok.SuffixNo) {
        let end = i + 1;
        while (end < s.length && isLower(s.charCodeAt(end))) end++;
        text = s.slice(i + 1, end);
        i = end;
        suffix = SUFFIXES[text] ?? 0;
        if (suffix) next = Tok.Suffix;
      }
    } else if (c === 126 /* ~ */) {
      if (type < Tok.CommitHash) {
        let end = i + 1;
        while (end < s.length && isHex(s.charCodeAt(end))) end++;
        text = s.slice(i + 1, end);
        i = end;
        if (text !== '') next = Tok.CommitHash;
      }
    } else if (c === 45 /* - */) {
      if (type < Tok.RevisionNo && s.charCodeAt(i + 1) === 114 /* r */) {
        const end = digitsEnd(s, i + 2);
        text = s.slice(i + 2, end);
        i = end;
        if (text !== '') next = Tok.RevisionNo;
      }
    }
    type = next;
    tokens.push({ type, text, suffix });
  }
  // `lenient` is set up front (undefined) so every parsed version keeps one object shape.
  return { original: s, tokens, valid: type === Tok.End, lenient: undefined };
}

const compareNumberText = compareDigitStrings;

/** apk's `apk_blob_sort`: bytewise, then shorter first. */
function blobSort(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareToken(a: Token, b: Token): number {
  switch (a.type) {
    case Tok.Digit:
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return blobSort(a.text, b.text);
      return compareNumberText(a.text, b.text);
    case Tok.InitialDigit:
    case Tok.SuffixNo:
    case Tok.RevisionNo:
      return compareNumberText(a.text, b.text);
    case Tok.Letter:
      return a.text.charCodeAt(0) - b.text.charCodeAt(0);
    case Tok.Suffix:
      return a.suffix - b.suffix;
    default:
      return blobSort(a.text, b.text);
  }
}

/**
 * apk's `apk_version_compare_fuzzy`. With `fuzzy`, `a ~ b` holds when `b` is a prefix of
 * `a` token-wise (apk's `~` dependency operator): returns 0 then.
 */
export function compareApkParsed(a: ApkVersion, b: ApkVersion, fuzzy = false): number {
  let k = 0;
  let ta = a.tokens[0]!;
  let tb = b.tokens[0]!;
  while (ta.type === tb.type && ta.type < Tok.End) {
    const r = compareToken(ta, tb);
    if (r) return r < 0 ? -1 : 1;
    k++;
    ta = a.tokens[k]!;
    tb = b.tokens[k]!;
  }
  if (ta.type === tb.type) return 0;
  if (tb.type === Tok.End && fuzzy) return 0;
  if (ta.type === Tok.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.type === Tok.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ta.type > tb.type ? -1 : 1;
}

const SUFFIX_RE = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/;

/** The structured reading of any string (see the header comment); never fails. */
function lenient(v: ApkVersion): LenientApk {
  if (v.lenient) return v.lenient;
  let s = v.original;
  const num = /^(?:\d+\.?)*/.exec(s)![0];
  const components = num === '' ? [] : num.split('.');
  if (components.length && components[components.length - 1] === '') components.pop();
  s = s.slice(num.length);
  let letter = '';
  if (/^[a-z]/.test(s)) {
    letter = s[0]!;
    s = s.slice(1);
  }
  const suffixes: LenientApk['suffixes'] = [];
  for (let m = SUFFIX_RE.exec(s); m; m = SUFFIX_RE.exec(s)) {
    suffixes.push({ weight: SUFFIXES[m[1]!]!, number: m[2] || null });
    s = s.slice(m[0].length);
  }
  const hash = /^~([0-9a-f]+)/.exec(s);
  if (hash) s = s.slice(hash[0].length);
  const rev = /^-r(\d*)/.exec(s);
  if (rev) s = s.slice(rev[0].length);
  v.lenient = {
    components,
    letter,
    suffixes,
    hash: hash ? hash[1]! : null,
    // No revision reads as -r0, as OSV-Scanner does (apk itself puts `1` just before `1-r0`;
    // real Alpine versions always carry one).
    revision: rev ? rev[1] || '0' : '0',
    remainder: s,
    // Left-overs after a revision are ignored (OSV-Scanner); without one, they are the tie-break.
    unreadable: s !== '' && !rev,
  };
  return v.lenient;
}

/** Absent sorts before present, as in apk (the version that ends first is older). */
function presence(a: unknown, b: unknown): number {
  return (a === null ? 0 : 1) - (b === null ? 0 : 1);
}

/**
 * One lexicographic key over the structured reading, so the order is total and transitive
 * for any strings, and equal to apk's token walk on valid versions.
 */
function compareLenient(x: ApkVersion, y: ApkVersion): number {
  const a = lenient(x);
  const b = lenient(y);
  const n = Math.min(a.components.length, b.components.length);
  for (let i = 0; i < n; i++) {
    const ca = a.components[i]!;
    const cb = b.components[i]!;
    // Like apk: after the first, a number with a leading zero compares as a string.
    const r = i > 0 && (ca.charCodeAt(0) === 48 || cb.charCodeAt(0) === 48) ? blobSort(ca, cb) : compareNumberText(ca, cb);
    if (r) return r;
  }
  if (a.components.length !== b.components.length) return a.components.length - b.components.length;
  if (a.letter !== b.letter) return a.letter === '' ? -1 : b.letter === '' ? 1 : blobSort(a.letter, b.letter);
  for (let i = 0; i < Math.max(a.suffixes.length, b.suffixes.length); i++) {
    const sa = a.suffixes[i];
    const sb = b.suffixes[i];
    const wa = sa ? sa.weight : SUFFIX_NONE;
    const wb = sb ? sb.weight : SUFFIX_NONE;
    if (wa !== wb) return wa - wb;
    const na = sa?.number ?? null;
    const nb = sb?.number ?? null;
    if (na !== null && nb !== null) {
      const r = compareNumberText(na, nb);
      if (r) return r;
    } else if (na !== nb) {
      // apk: the side without a number is newer only if a post-release suffix follows.
      const bare = na === null ? a : b;
      const following = bare.suffixes[i + 1];
      const bareIsNewer = following !== undefined && following.weight > SUFFIX_NONE;
      return (na === null) === bareIsNewer ? 1 : -1;
    }
  }
  const h = presence(a.hash, b.hash) || (a.hash !== null && b.hash !== null ? blobSort(a.hash, b.hash) : 0);
  if (h) return h;
  const r = compareNumberText(a.revision, b.revision);
  if (r) return r;
  // Nothing left over is newer than something left over (apk: an invalid token is older).
  if ((a.remainder === '') !== (b.remainder === '')) return a.remainder === '' ? 1 : -1;
  return a.unreadable && b.unreadable ? blobSort(x.original, y.original) : 0;
}

export const apkScheme: VersionScheme<ApkVersion> = {
  name: 'apk',
  parse: parseApkVersion,
  compare: compareLenient,
  isValid: (v) => v.valid,
};
