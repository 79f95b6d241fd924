/** Turns a parsed language package into the analyzer contract's package finding. */
import type { Finding } from '../analyzer.ts';

export interface LangPackage {
  name: string;
  version: string;
  purl: string;
  /** Format-specific facts: dev-only, licences, replacement, lockfile kind… */
  metadata?: Record<string, unknown>;
}

/** OSV ecosystem names of the language inventories. */
export type LangEcosystem = 'npm' | 'PyPI' | 'Go' | 'Maven' | 'RubyGems' | 'crates.io' | 'Packagist' | 'NuGet';

export function packageFinding(ecosystem: LangEcosystem, path: string, pkg: LangPackage): Finding {
  const metadata = pkg.metadata && Object.keys(pkg.metadata).length > 0 ? pkg.metadata : undefined;
  return {
    kind: 'package',
    path,
    package: {
      ecosystem,
      name: pkg.name,
      version: pkg.version,
      // Language formats have no separate source package: the package is its own source.
      sourceName: pkg.name,
      sourceVersion: pkg.version,
      purl: pkg.purl,
      paths: [path],
      ...(metadata ? { metadata } : {}),
    },
  };
}

/** Drop exact duplicates (same purl) that a lockfile can list more than once. */
export function uniqueByPurl<T extends { purl: string }>(packages: T[]): T[] {
  const seen = new Set<string>();
  return packages.filter((pkg) => (seen.has(pkg.purl) ? false : (seen.add(pkg.purl), true)));
}
