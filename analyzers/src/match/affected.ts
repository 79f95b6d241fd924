/**
 * Does an OSV record affect one package version? Withdrawn records never do. An
 * `affected[]` entry applies when its package is the queried one (same ecosystem and
 * release, same normalised name) and the version is in one of its ranges or listed in
 * its `versions`.
 */
import { baseEcosystem, canonicalEcosystem, normalizePackageName, normalizeQueryVersion } from './ecosystem.ts';
import type { OsvAffected, OsvRange, OsvRecord, PackageQuery } from './osv.ts';
import { rangeContains, type VersionCompare } from './ranges.ts';
import { compareVersions } from './version-order.ts';

/** The comparator for a range: SEMVER ranges use semver order whatever the ecosystem. */
export function comparatorFor(ecosystem: string, range: Pick<OsvRange, 'type'>): VersionCompare {
  const order = range.type === 'SEMVER' && !semverNative.has(baseEcosystem(ecosystem)) ? 'SEMVER' : ecosystem;
  return (a, b) => compareVersions(order, a, b);
}
/**
 * Ecosystems whose own order already is (a superset of) semver: their SEMVER ranges use it
 * (Go's `v`, npm's loose forms). Others (SwiftURL, GitHub Actions, …) use plain semver.
 */
const semverNative = new Set(['npm', 'Go', 'crates.io', 'Hex', 'Pub']);

/** An entry's ecosystem covers the query's: same string, or a release-less entry for the same distro. */
function sameEcosystem(entryEcosystem: string, queryEcosystem: string): boolean {
  if (entryEcosystem === queryEcosystem) return true;
  entryEcosystem = canonicalEcosystem(entryEcosystem);
  queryEcosystem = canonicalEcosystem(queryEcosystem);
  if (entryEcosystem === queryEcosystem) return true;
  return !entryEcosystem.includes(':') && baseEcosystem(queryEcosystem) === entryEcosystem && queryEcosystem.includes(':');
}

export function entryAppliesTo(entry: OsvAffected, query: PackageQuery): boolean {
  const pkg = entry.package;
  if (!pkg || typeof pkg.name !== 'string' || typeof pkg.ecosystem !== 'string') return false;
  if (!sameEcosystem(pkg.ecosystem, query.ecosystem)) return false;
  return normalizePackageName(pkg.ecosystem, pkg.name) === normalizePackageName(query.ecosystem, query.name);
}

/**
 * True when the entry's ranges or explicit versions contain `version`. A version the
 * ecosystem order cannot compare makes that range not match (it is reported nowhere
 * else, so the caller sees a missing finding rather than a crash).
 */
export function entryContainsVersion(entry: OsvAffected, ecosystem: string, version: string): boolean {
  const wanted = normalizeQueryVersion(ecosystem, version);
  if (Array.isArray(entry.versions) && entry.versions.some((v) => v === wanted || v === version)) return true;
  for (const range of entry.ranges ?? []) {
    try {
      if (rangeContains(range, wanted, comparatorFor(ecosystem, range))) return true;
    } catch {
      // Unparseable version on either side: this range cannot decide; try the others.
    }
  }
  return false;
}

/** The record's entries that apply to the query and contain its version. */
export function affectingEntries(record: OsvRecord, query: PackageQuery): OsvAffected[] {
  if (record.withdrawn) return [];
  return (record.affected ?? []).filter(
    (entry) => entryAppliesTo(entry, query) && entryContainsVersion(entry, entry.package?.ecosystem ?? query.ecosystem, query.version),
  );
}

export function isAffected(record: OsvRecord, query: PackageQuery): boolean {
  return affectingEntries(record, query).length > 0;
}

/**
 * What affectingEntries reads of a record for one package key (canonical ecosystem and
 * normalised name): its ID, whether it is withdrawn, and the entries that can apply to a query
 * looking that key up, cut to package, ECOSYSTEM/SEMVER ranges and versions. A database stores
 * it beside the key, so a matcher can tell that a record cannot affect a version without
 * parsing the record (a distro package names dozens of records, nearly all fixed long before
 * the installed version). The database chooses the entries (the writer's digestEntries).
 */
export interface AffectedDigest {
  id: string;
  withdrawn?: string;
  affected: OsvAffected[];
}

export function affectedDigest(record: OsvRecord, entriesOfKey: OsvAffected[]): AffectedDigest {
  return {
    id: record.id,
    ...(record.withdrawn ? { withdrawn: record.withdrawn } : {}),
    affected: entriesOfKey.map((entry) => ({
      ...(entry.package ? { package: { ecosystem: entry.package.ecosystem, name: entry.package.name } } : {}),
      // Other range types never match (rangeContains), so they are left out.
      ...(entry.ranges ? { ranges: Array.isArray(entry.ranges) ? entry.ranges.filter((r) => r?.type === 'ECOSYSTEM' || r?.type === 'SEMVER').map((r) => ({ type: r.type, events: r.events })) : entry.ranges } : {}),
      ...(entry.versions ? { versions: entry.versions } : {}),
    })),
  };
}

/** Whether the record a digest was made from can affect the query (affectingEntries on the digest). */
export function digestMayAffect(digest: AffectedDigest, query: PackageQuery): boolean {
  return affectingEntries(digest, query).length > 0;
}
