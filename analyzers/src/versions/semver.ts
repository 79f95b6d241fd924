/**
 * SemVer 2.0 order, for npm (node-semver, loose), crates.io, Go (module versions with their
 * `v` prefix, `+incompatible` being build metadata) and OSV's generic `SEMVER` range type.
 *
 * Versions that node-semver parses compare with node-semver. Anything else (four parts,
 * numbers past 2^53, `1.2`, `1.2.3-5-foo`, Go's `go1.21`) falls back to a lenient reading
 * in the same spirit as OSV-Scanner: optional `v`, dot-separated numeric parts (missing
 * ones are 0, numbers of any length), then a `-prerelease` and a `+build` that is ignored.
 * The fallback agrees with SemVer precedence on every valid version, so mixing parsed and
 * fallback versions stays a consistent order. `isValid` is node-semver's `valid`.
 */
import semver from 'semver';
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

export interface SemverVersion {
  parsed: semver.SemVer | null;
  /** Lenient form, always present. */
  numbers: string[];
  prerelease: string[];
  build: string[];
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

function lenient(input: string): Pick<SemverVersion, 'numbers' | 'prerelease' | 'build'> {
  let v = input.trim().replace(/^[=\s]*v?\s*/i, '');
  let build: string[] = [];
  const plus = v.indexOf('+');
  if (plus >= 0) {
    build = v.slice(plus + 1).split('.');
    v = v.slice(0, plus);
  }
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v);
  const core = m ? m[1]! : '';
  let rest = m ? m[2]! : v;
  if (rest.startsWith('-') || rest.startsWith('.')) rest = rest.slice(1);
  const numbers = core === '' ? ['0'] : core.split('.');
  return { numbers, prerelease: rest === '' ? [] : rest.split('.'), build };
}

export function makeSemverParser(loose: boolean, prefix?: RegExp): (input: string) => SemverVersion {
  return (input) => {
    const v = prefix ? input.trim().replace(prefix, '') : input;
    let parsed: semver.SemVer | null = null;
    try {
      parsed = semver.parse(v, { loose });
    } catch {
      parsed = null;
    }
    return { parsed, ...lenient(v) };
  };
}

/** SemVer prerelease identifier lists: none > some; numeric < alphanumeric; shorter first. */
export function compareIdentifiers(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = isNumeric(x);
    const yn = isNumeric(y);
    if (xn && yn) {
      const c = compareDigitStrings(x, y);
      if (c) return c;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export function compareLenient(a: Pick<SemverVersion, 'numbers' | 'prerelease'>, b: Pick<SemverVersion, 'numbers' | 'prerelease'>): number {
  const n = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigitStrings(a.numbers[i] ?? '0', b.numbers[i] ?? '0');
    if (c) return c;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return (b.prerelease.length === 0 ? 0 : 1) - (a.prerelease.length === 0 ? 0 : 1);
  }
  return compareIdentifiers(a.prerelease, b.prerelease);
}

export function compareSemverParsed(a: SemverVersion, b: SemverVersion): number {
  if (a.parsed && b.parsed) return a.parsed.compare(b.parsed);
  return compareLenient(a, b);
}

export function semverScheme(name: string, loose: boolean, prefix?: RegExp): VersionScheme<SemverVersion> {
  return { name, parse: makeSemverParser(loose, prefix), compare: compareSemverParsed, isValid: (v) => v.parsed !== null };
}

/**
 * Dart pub order (pub_semver): like SemVer, except that build metadata counts: a version
 * with a build sorts after the same version without one, builds compare like prereleases.
 */
export const pubScheme: VersionScheme<SemverVersion> = {
  name: 'pub',
  parse: makeSemverParser(false),
  compare: (a, b) => {
    const c = compareLenient(a, b);
    if (c) return c;
    if (a.build.length === 0 || b.build.length === 0) {
      return (a.build.length === 0 ? 0 : 1) - (b.build.length === 0 ? 0 : 1);
    }
    return compareIdentifiers(a.build, b.build);
  },
  isValid: (v) => v.parsed !== null,
};

/** `semver.satisfies` for npm-style ranges; false (never throws) on an invalid range or version. */
export function satisfiesNpmRange(version: string, range: string): boolean {
  try {
    return semver.satisfies(version, range, { loose: true });
  } catch {
    return false;
  }
}
