/**
 * NuGet version order, to NuGet's own definition (NuGet.Versioning `VersionComparer`):
 * up to four numeric parts (missing ones 0, so `1.0` = `1.0.0.0`), then the release label
 * (none > some; dot-separated identifiers, numeric ones numerically and before
 * alphanumeric ones, alphanumeric ones case-insensitively); build metadata after `+` is
 * ignored. Versions NuGet would reject are read leniently in the same way (numbers of any
 * length, more than four parts); `isValid` follows NuGet's grammar.
 */
import type { VersionScheme } from './scheme.ts';
import { compareLenient, type SemverVersion } from './semver.ts';

export interface NugetVersion extends Pick<SemverVersion, 'numbers' | 'prerelease'> {
  valid: boolean;
}

const VALID = /^\d+(\.\d+){0,3}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export function parseNugetVersion(input: string): NugetVersion {
  const v = input.trim();
  let core = v;
  const plus = core.indexOf('+');
  if (plus >= 0) core = core.slice(0, plus);
  const dash = core.indexOf('-');
  // Labels compare case-insensitively: fold them once here.
  const prerelease = dash >= 0 ? core.slice(dash + 1).toLowerCase().split('.') : [];
  const numbers = (dash >= 0 ? core.slice(0, dash) : core).split('.').map((n) => (/^\d+$/.test(n) ? n : '0'));
  return { numbers, prerelease, valid: VALID.test(v) };
}

/** Same precedence as SemVer once labels are folded: missing numeric parts are 0 either way. */
export const nugetScheme: VersionScheme<NugetVersion> = {
  name: 'nuget',
  parse: parseNugetVersion,
  compare: compareLenient,
  isValid: (v) => v.valid,
};
