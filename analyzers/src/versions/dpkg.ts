/**
 * Debian version order (Debian and Ubuntu), to dpkg's own definition
 * (lib/dpkg/version.c `dpkg_version_compare`, deb-version(7)):
 * `[epoch:]upstream_version[-debian_revision]`, compared epoch first (numerically), then
 * upstream and revision with `verrevcmp`: alternating non-digit runs (letters sort before
 * non-letters, `~` before everything, even the end of the string) and digit runs (numeric).
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

export interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
  valid: boolean;
}

export function parseDpkgVersion(input: string): DpkgVersion {
  const str = input.trim();
  let epoch = '0';
  let rest = str;
  const colon = str.indexOf(':');
  let valid = str.length > 0 && !/\s/.test(str);
  if (colon >= 0) {
    epoch = str.slice(0, colon);
    rest = str.slice(colon + 1);
    if (!/^\d+$/.test(epoch)) valid = false;
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || !/^\d/.test(upstream)) valid = false;
  if (!/^[A-Za-z0-9.+~:-]*$/.test(upstream)) valid = false;
  if (dash >= 0 && (revision === '' || !/^[A-Za-z0-9.+~]+$/.test(revision))) valid = false;
  return { epoch: /^\d+$/.test(epoch) ? epoch : '0', upstream, revision, valid };
}

/** dpkg's `order()`: digits 0, letters their code, `~` -1, other characters code + 256. */
function order(c: number): number {
  if (c >= 48 && c <= 57) return 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c;
  if (c === 126) return -1;
  if (Number.isNaN(c)) return 0; // end of string
  return c + 256;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** dpkg's `verrevcmp`, on JavaScript strings (char codes; NaN past the end). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : NaN);
      const bc = order(j < b.length ? b.charCodeAt(j) : NaN);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDpkgParsed(a: DpkgVersion, b: DpkgVersion): number {
  return (
    compareDigitStrings(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision)
  );
}

export const dpkgScheme: VersionScheme<DpkgVersion> = {
  name: 'dpkg',
  parse: parseDpkgVersion,
  compare: compareDpkgParsed,
  isValid: (v) => v.valid,
};
