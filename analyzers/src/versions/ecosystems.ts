/**
 * Which version order an OSV ecosystem uses. Ecosystem names are OSV's, optionally with a
 * release suffix after `:` (`Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`), matched
 * case-insensitively.
 */
import { CachedScheme, type VersionScheme } from './scheme.ts';
import { dpkgScheme } from './dpkg.ts';
import { rpmScheme } from './rpm.ts';
import { apkScheme } from './apk.ts';
import { mavenScheme } from './maven.ts';
import { rubygemsScheme } from './rubygems.ts';
import { composerScheme } from './composer.ts';
import { nugetScheme } from './nuget.ts';
import { pypiScheme } from './pep440.ts';
import { pubScheme, semverScheme } from './semver.ts';
import { cranScheme, hackageScheme } from './dotted.ts';

const cached = <T>(s: VersionScheme<T>): CachedScheme<unknown> => new CachedScheme(s) as CachedScheme<unknown>;

const dpkg = cached(dpkgScheme);
const rpm = cached(rpmScheme);
const apk = cached(apkScheme);
const npm = cached(semverScheme('npm', true));
const strictSemver = cached(semverScheme('semver', false));
// Go: module versions carry `v`; the toolchain (`stdlib`) may be written `go1.21.3`.
const go = cached(semverScheme('go', false, /^go(?=\d)/));

const BY_ECOSYSTEM: Record<string, CachedScheme<unknown>> = {
  debian: dpkg,
  ubuntu: dpkg,
  alpine: apk,
  alpaquita: apk,
  'bellsoft hardened containers': apk,
  wolfi: apk,
  chainguard: apk,
  minimos: apk,
  'red hat': rpm,
  'rocky linux': rpm,
  almalinux: rpm,
  suse: rpm,
  opensuse: rpm,
  'azure linux': rpm,
  mageia: rpm,
  openeuler: rpm,
  rpm: rpm,
  npm,
  'crates.io': strictSemver,
  semver: strictSemver,
  hex: strictSemver,
  'github actions': strictSemver,
  go,
  pypi: cached(pypiScheme),
  maven: cached(mavenScheme),
  rubygems: cached(rubygemsScheme),
  packagist: cached(composerScheme),
  nuget: cached(nugetScheme),
  pub: cached(pubScheme),
  cran: cached(cranScheme),
  hackage: cached(hackageScheme),
};

// Ecosystem strings as callers spell them (`Debian:12`), resolved once: the matcher asks
// for the same handful millions of times.
const resolved = new Map<string, CachedScheme<unknown> | undefined>();

/** The scheme for an ecosystem, or undefined when we have no version order for it. */
export function schemeFor(ecosystem: string): CachedScheme<unknown> | undefined {
  if (resolved.has(ecosystem)) return resolved.get(ecosystem);
  const colon = ecosystem.indexOf(':');
  const base = (colon >= 0 ? ecosystem.slice(0, colon) : ecosystem).trim().toLowerCase();
  const scheme = Object.hasOwn(BY_ECOSYSTEM, base) ? BY_ECOSYSTEM[base] : undefined;
  if (resolved.size < 1000) resolved.set(ecosystem, scheme);
  return scheme;
}

export const apkCached = apk as CachedScheme<import('./apk.ts').ApkVersion>;
