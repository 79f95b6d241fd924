/**
 * RPM version order (Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Mariner…), to rpm's
 * own definition: `rpmvercmp` (rpmio/rpmvercmp.c) on each of epoch, version and release of
 * `[epoch:]version[-release]`. rpmvercmp walks alphanumeric segments, ignoring any other
 * separator characters; `~` sorts before anything (even the end), `^` after the end but
 * before anything else; numeric segments beat alphabetic ones.
 *
 * Splitting is rpm's own (`parseEVR` in rpmio/rpmver.c, behind `rpm.ver` and `rpm.vercmp`):
 * the epoch is the run of leading digits when a `:` directly follows it (an empty one is 0, a
 * missing one compares as 0), and the release is everything after the LAST `-`, so
 * `7.3-16p1-1` is version `7.3-16p1`, release `1`. A present but empty release (`1-`) sorts
 * after a missing one (`1`), as in rpm. Nothing is trimmed (rpm trims nothing), and the string
 * ends at a NUL as rpm's C strings do. Every string is ordered; `isValid` only requires a
 * non-empty version of rpm's allowed characters.
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

export interface RpmVersion {
  epoch: string;
  version: string;
  /** `null` when there is no `-` at all. */
  release: string | null;
  valid: boolean;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
const TILDE = 126;
const ALLOWED = /^[A-Za-z0-9._+~^]+$/;
const CARET = 94;

/** rpm's `rpmvercmp(a, b)`: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;

    const at = a.charCodeAt(i);
    const bt = b.charCodeAt(j);
    if (at === TILDE || bt === TILDE) {
      if (at !== TILDE) return 1;
      if (bt !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (at === CARET || bt === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (at !== CARET) return 1;
      if (bt !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;

    const numeric = isDigit(at);
    const si = i;
    const sj = j;
    const inRun = numeric ? isDigit : isAlpha;
    while (i < a.length && inRun(a.charCodeAt(i))) i++;
    while (j < b.length && inRun(b.charCodeAt(j))) j++;
    // The two segments are of different types: numeric is newer.
    if (sj === j) return numeric ? 1 : -1;

    const sa = a.slice(si, i);
    const sb = b.slice(sj, j);
    const c = numeric ? compareDigitStrings(sa, sb) : sa < sb ? -1 : sa > sb ? 1 : 0;
    if (c) return c < 0 ? -1 : 1;
  }
  const aLeft = i < a.length;
  const bLeft = j < b.length;
  if (!aLeft && !bLeft) return 0;
  return aLeft ? 1 : -1;
}

export function parseRpmVersion(input: string): RpmVersion {
  const nul = input.indexOf('\0');
  const str = nul >= 0 ? input.slice(0, nul) : input;
  let digits = 0;
  while (digits < str.length && isDigit(str.charCodeAt(digits))) digits++;
  const hasEpoch = str.charCodeAt(digits) === 58; /* : */
  const epoch = hasEpoch && digits > 0 ? str.slice(0, digits) : '0';
  const rest = hasEpoch ? str.slice(digits + 1) : str;
  const dash = rest.lastIndexOf('-');
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : null;
  const valid = version !== '' && ALLOWED.test(version) && (release === null || ALLOWED.test(release));
  return { epoch, version, release, valid };
}

export function compareRpmParsed(a: RpmVersion, b: RpmVersion): number {
  const e = rpmvercmp(a.epoch, b.epoch);
  if (e) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v) return v;
  if (a.release === null || b.release === null) {
    if (a.release === b.release) return 0;
    return a.release === null ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const rpmScheme: VersionScheme<RpmVersion> = {
  name: 'rpm',
  parse: parseRpmVersion,
  compare: compareRpmParsed,
  isValid: (v) => v.valid,
};
