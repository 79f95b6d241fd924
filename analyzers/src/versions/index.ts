/**
 * Version order per ecosystem: `compareVersions(ecosystem, a, b)` is negative, 0 or positive.
 * Never throws for any version string (each scheme orders invalid versions consistently, see
 * its file); throws `UnknownEcosystemError` for an ecosystem without a version order, since
 * a silent guess would produce wrong matches.
 */
import { schemeFor, apkCached } from './ecosystems.ts';
import { compareApkParsed } from './apk.ts';
import { satisfiesNpmRange } from './semver.ts';

export class UnknownEcosystemError extends Error {
  constructor(readonly ecosystem: string) {
    super(`no version order known for ecosystem "${ecosystem}"`);
    this.name = 'UnknownEcosystemError';
  }
}

function scheme(ecosystem: string) {
  const s = schemeFor(ecosystem);
  if (!s) throw new UnknownEcosystemError(ecosystem);
  return s;
}

export function compareVersions(ecosystem: string, a: string, b: string): number {
  return scheme(ecosystem).compare(a, b);
}

/** Whether `version` follows the ecosystem's own grammar (invalid ones still compare). */
export function isValidVersion(ecosystem: string, version: string): boolean {
  return scheme(ecosystem).isValid(version);
}

export function hasVersionOrder(ecosystem: string): boolean {
  return schemeFor(ecosystem) !== undefined;
}

/** apk's fuzzy match (`a ~ b`: `b` is a token-wise prefix of `a`), as in `depends = "x~1.2"`. */
export function apkFuzzyMatch(version: string, prefix: string): boolean {
  return compareApkParsed(apkCached.parse(version), apkCached.parse(prefix), true) === 0;
}

/** npm range satisfaction through node-semver (`ecosystem` must be npm). */
export function satisfiesRange(ecosystem: 'npm', version: string, range: string): boolean {
  if (ecosystem !== 'npm') throw new UnknownEcosystemError(ecosystem);
  return satisfiesNpmRange(version, range);
}
