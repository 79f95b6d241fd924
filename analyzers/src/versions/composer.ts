/**
 * Packagist (Composer) version order: PHP's `version_compare` (ext/standard/versioning.c),
 * which Composer uses, after stripping a leading `v`/`V` as Composer does. The version is
 * canonicalised (`-`, `_`, `+` and other punctuation become `.`, a `.` is inserted at every
 * digit/non-digit boundary), then compared part by part: numbers numerically, names by
 * their special form (dev < alpha = a < beta = b < RC = rc < number < pl = p; unknown names
 * before dev), a number against a name as the special form `#`.
 *
 * Two deliberate differences from PHP, both where PHP is lossy: numbers of any length
 * compare exactly (PHP's strtol saturates), and a literal `#` part is kept as the number
 * placeholder instead of being dropped. Every string is accepted.
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

export interface ComposerVersion {
  parts: string[];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `php_canonicalize_version`, keeping `#`. */
function canonicalize(v: string): string {
  if (v === '') return v;
  let out = v[0]!;
  let lp = v.charCodeAt(0);
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const last = out.charCodeAt(out.length - 1);
    if (c === 45 || c === 95 || c === 43 /* - _ + */) {
      if (last !== 46) out += '.';
    } else if (lp !== 46 && c !== 46 && isDigit(lp) !== isDigit(c)) {
      if (last !== 46) out += '.';
      out += v[i];
    } else if (!isAlnum(c) && c !== 35 /* # */) {
      if (last !== 46) out += '.';
    } else {
      out += v[i];
    }
    lp = c;
  }
  return out;
}

export function parseComposerVersion(input: string): ComposerVersion {
  const v = input.trim().replace(/^[vV]/, '');
  return { parts: canonicalize(v).split('.') };
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order;
  return -1;
}

const NUMBER = '#N#';

function compareParts(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const p1 = a[i]!;
    const p2 = b[i]!;
    const d1 = isDigit(p1.charCodeAt(0));
    const d2 = isDigit(p2.charCodeAt(0));
    let c: number;
    if (d1 && d2) c = compareDigitStrings(p1, p2);
    else if (!d1 && !d2) c = specialForm(p1) - specialForm(p2);
    else c = d1 ? specialForm(NUMBER) - specialForm(p2) : specialForm(p1) - specialForm(NUMBER);
    if (c) return c < 0 ? -1 : 1;
  }
  if (a.length > b.length) {
    return isDigit(a[n]!.charCodeAt(0)) ? 1 : compareParts(a.slice(n), [NUMBER]);
  }
  if (b.length > a.length) {
    return isDigit(b[n]!.charCodeAt(0)) ? -1 : compareParts([NUMBER], b.slice(n));
  }
  return 0;
}

export const composerScheme: VersionScheme<ComposerVersion> = {
  name: 'composer',
  parse: parseComposerVersion,
  compare: (a, b) => compareParts(a.parts, b.parts),
  isValid: (v) => v.parts.length > 0 && v.parts[0] !== '',
};
