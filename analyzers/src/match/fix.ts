/**
 * What to do about a finding: the fixed versions above the installed one (lowest
 * first), whether any exists, and the package manager's command for the lowest.
 */
import { comparatorFor } from './affected.ts';
import { baseEcosystem, normalizeQueryVersion } from './ecosystem.ts';
import type { OsvAffected } from './osv.ts';
import { fixedVersionsOf } from './ranges.ts';

export interface FixSuggestion {
  fixedVersions: string[];
  fixStatus: 'fixed' | 'no fix yet';
  fixCommand: string | null;
}

/** `fixed` events of the matching entries that are above the installed version, ascending, unique. */
export function fixedVersionsAbove(entries: OsvAffected[], ecosystem: string, installed: string): string[] {
  const version = normalizeQueryVersion(ecosystem, installed);
  const found: { version: string; compare: (a: string, b: string) => number }[] = [];
  for (const entry of entries) {
    const entryEcosystem = entry.package?.ecosystem ?? ecosystem;
    for (const range of entry.ranges ?? []) {
      const compare = comparatorFor(entryEcosystem, range);
      for (const fixed of fixedVersionsOf(range)) {
        try {
          if (compare(fixed, version) > 0 && !found.some((f) => f.version === fixed)) found.push({ version: fixed, compare });
        } catch {
          // A fixed version the order cannot read is no use as advice.
        }
      }
    }
  }
  return found
    .sort((a, b) => {
      try {
        return a.compare(a.version, b.version);
      } catch {
        return 0;
      }
    })
    .map((f) => f.version);
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The upgrade command for one package. `name` is the installed (binary) package name:
 * distro advisories are per source package, but users upgrade binary packages.
 */
export function fixCommand(ecosystem: string, name: string, version: string): string | null {
  const n = shellQuote(name);
  switch (baseEcosystem(ecosystem)) {
    case 'Debian':
    case 'Ubuntu':
      return `apt-get install --only-upgrade ${n}`;
    case 'Alpine':
    case 'Wolfi':
    case 'Chainguard':
      return `apk add --upgrade ${n}`;
    case 'Red Hat':
    case 'Rocky Linux':
    case 'AlmaLinux':
    case 'openEuler':
      return `dnf upgrade ${n}`;
    case 'SUSE':
    case 'openSUSE':
      return `zypper update ${n}`;
    case 'npm':
      return `npm install ${shellQuote(`${name}@${version}`)}`;
    case 'PyPI':
      return `pip install ${shellQuote(`${name}>=${version}`)}`;
    case 'Go':
      // The standard library is fixed by rebuilding with a newer Go, not by a command in the image.
      return name === 'stdlib' || name === 'toolchain' ? null : `go get ${shellQuote(`${name}@v${version}`)}`;
    case 'crates.io':
      return `cargo update -p ${n} --precise ${shellQuote(version)}`;
    case 'RubyGems':
      return `bundle update ${n}`;
    case 'Maven':
      return `mvn versions:use-dep-version -Dincludes=${n} -DdepVersion=${shellQuote(version)}`;
    case 'NuGet':
      return `dotnet add package ${n} --version ${shellQuote(version)}`;
    case 'Packagist':
      return `composer require ${shellQuote(`${name}:^${version}`)}`;
    default:
      return null;
  }
}

export function suggestFix(entries: OsvAffected[], ecosystem: string, binaryName: string, installed: string): FixSuggestion {
  const fixedVersions = fixedVersionsAbove(entries, ecosystem, installed);
  const lowest = fixedVersions[0];
  if (lowest === undefined) return { fixedVersions, fixStatus: 'no fix yet', fixCommand: null };
  return { fixedVersions, fixStatus: 'fixed', fixCommand: fixCommand(ecosystem, binaryName, lowest) };
}
