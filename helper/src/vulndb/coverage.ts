/**
 * What the vulnerability data can judge. A database holding npm advisories only has nothing
 * to say about a Debian image's packages: "no finding" there is not "safe". A report whose
 * packages include an ecosystem (Debian, Ubuntu, npm, …) of which the database holds no
 * record at all gets a not-checked line naming those ecosystems, so its verdict is
 * `incomplete` until a data update brings them.
 */
import { baseEcosystem, canonicalEcosystem } from '@shipshape/analyzers/match/index.ts';
import type { Package } from '@shipshape/shared';

/** The one name an ecosystem is compared by, on the package side and the database side (`Ubuntu:22.04:LTS` → `Ubuntu`). */
export function ecosystemKey(ecosystem: string): string {
  return baseEcosystem(canonicalEcosystem(ecosystem));
}

const PREFIX = 'no vulnerability data for ';

/** The not-checked reason for these packages against data covering `covered` (see ecosystemKey); null when every ecosystem is covered. */
export function coverageGap(packages: ReadonlyArray<Pick<Package, 'ecosystem'>>, covered: ReadonlySet<string>): string | null {
  const missing = new Map<string, number>();
  for (const pkg of packages) {
    const key = ecosystemKey(pkg.ecosystem);
    if (!covered.has(key)) missing.set(key, (missing.get(key) ?? 0) + 1);
  }
  if (missing.size === 0) return null;
  const list = [...missing].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ecosystem, n]) => `${ecosystem || 'unknown'} (${n} package${n === 1 ? '' : 's'})`);
  return `${PREFIX}${list.join(', ')}: those packages were not checked. Update data fetches the ecosystems of the scanned images (or import their advisories)`;
}

/** True for the reasons coverageGap writes (a re-match replaces them). */
export function isCoverageGap(reason: string): boolean {
  return reason.startsWith(PREFIX);
}
