/**
 * Packages → findings. For each package, look up the advisories filed under its
 * ecosystem and (normalised) name, keep those whose ranges contain its version, merge
 * aliases into one finding, and split malicious-package reports (MAL-*) off as malware.
 * Distro packages are looked up by source package and source version, as distro
 * advisories are written.
 */
import type { MalwareFinding, Package, Severity, Vulnerability } from '@shipshape/shared';
import { affectingEntries } from './affected.ts';
import { allAliases, groupByAliases, primaryRecord } from './aliases.ts';
import { baseEcosystem, canonicalEcosystem, matchesBySourceName, normalizePackageName } from './ecosystem.ts';
import { suggestFix } from './fix.ts';
import { isMaliciousRecord, type OsvAffected, type OsvRecord, type PackageQuery } from './osv.ts';
import { severityOf, type SeverityResult } from './severity.ts';

/** Advisories filed under an ecosystem (canonical form, e.g. `Debian:12`, `Ubuntu:22.04`) and a normalised name. */
export type AdvisoryLookup = (ecosystem: string, normalizedName: string) => OsvRecord[];

export interface MatchResult {
  vulnerabilities: Vulnerability[];
  malware: MalwareFinding[];
}

/** A record that affects a package query, and its entries that do. */
export interface Hit {
  record: OsvRecord;
  entries: OsvAffected[];
}

/** What a package is matched as: Debian, Ubuntu and Alpine packages by source name and version. */
export function queryFor(pkg: Pick<Package, 'ecosystem' | 'name' | 'version' | 'sourceName' | 'sourceVersion'>): PackageQuery {
  if (matchesBySourceName(pkg.ecosystem)) {
    return { ecosystem: pkg.ecosystem, name: pkg.sourceName || pkg.name, version: pkg.sourceVersion || pkg.version };
  }
  return { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version };
}

/** The records affecting a query (ecosystem, name and version as distro records are written: see queryFor). */
export function hitsFor(query: PackageQuery, lookup: AdvisoryLookup): Hit[] {
  const name = normalizePackageName(query.ecosystem, query.name);
  const ecosystem = canonicalEcosystem(query.ecosystem);
  const base = baseEcosystem(ecosystem);
  // Some distro records carry no release (`Debian` rather than `Debian:12`): they apply to all.
  // A new array: a memoising lookup hands out its own, which must not grow with every package.
  const records = base === ecosystem ? lookup(ecosystem, name) : [...lookup(ecosystem, name), ...lookup(base, name)];
  const seen = new Set<string>();
  const hits: Hit[] = [];
  for (const record of records) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const entries = affectingEntries(record, query);
    if (entries.length > 0) hits.push({ record, entries });
  }
  return hits;
}

/**
 * What one package is affected by, before a report's deduplication: its vulnerability findings
 * (one per alias group) and the malicious-package reports (MAL-*) naming it. A function of the
 * package's ecosystem, name, version, source name and version and purl, and of its layer (which
 * only the findings carry): a caller matching many inventories can compute it once per package.
 */
export interface PackageFindings {
  vulnerabilities: Vulnerability[];
  malicious: OsvRecord[];
}

/**
 * The findings of one package (see PackageFindings); `hits` when the caller already has them
 * (the binary packages of one distro source package share its query and so its hits).
 */
export function packageFindings(pkg: Package, lookup: AdvisoryLookup, hits: Hit[] = hitsFor(queryFor(pkg), lookup)): PackageFindings {
  const query = queryFor(pkg);
  return {
    vulnerabilities: groupByAliases(hits.filter((h) => !isMaliciousRecord(h.record))).map((group) => vulnerabilityFinding(pkg, query, group)),
    malicious: hits.filter((h) => isMaliciousRecord(h.record)).map((h) => h.record),
  };
}

/** Where a package's findings come from: packageFindings, or a memo of it. */
export type FindingsOf = (pkg: Package) => PackageFindings;

/** A package's findings, added to `out` unless already reported (same advisory, same package). */
function addFindings(pkg: Package, found: PackageFindings, reported: Set<string>, out: MatchResult): void {
  for (const record of found.malicious) {
    const key = `${record.id}\0${pkg.ecosystem}\0${pkg.name}\0${pkg.version}\0${pkg.paths[0] ?? ''}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.malware.push(maliciousFinding(pkg, record));
  }
  for (const finding of found.vulnerabilities) {
    const key = `${finding.id}\0${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.vulnerabilities.push(finding);
  }
}

const findingsFrom = (source: AdvisoryLookup | { findingsOf: FindingsOf }): FindingsOf =>
  typeof source === 'function' ? (pkg) => packageFindings(pkg, source) : source.findingsOf;

/** `source`: the advisory lookup, or `{ findingsOf }` to take each package's findings from elsewhere (a memo). */
export function matchPackages(packages: Package[], source: AdvisoryLookup | { findingsOf: FindingsOf }): MatchResult {
  const findingsOf = findingsFrom(source);
  const out: MatchResult = { vulnerabilities: [], malware: [] };
  const reported = new Set<string>();
  for (const pkg of packages) addFindings(pkg, findingsOf(pkg), reported, out);
  return { vulnerabilities: sortVulnerabilities(out.vulnerabilities), malware: out.malware };
}

/**
 * matchPackages that lets the event loop run every `yieldEvery` packages: a distro image's
 * packages can name tens of thousands of advisories, seconds of work a server must not spend
 * in one stretch. Same result.
 */
export async function matchPackagesAsync(packages: Package[], source: AdvisoryLookup | { findingsOf: FindingsOf }, yieldEvery = 32): Promise<MatchResult> {
  const findingsOf = findingsFrom(source);
  const out: MatchResult = { vulnerabilities: [], malware: [] };
  const reported = new Set<string>();
  for (const [i, pkg] of packages.entries()) {
    if (i > 0 && i % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
    addFindings(pkg, findingsOf(pkg), reported, out);
  }
  return { vulnerabilities: sortVulnerabilities(out.vulnerabilities), malware: out.malware };
}

function vulnerabilityFinding(pkg: Package, query: PackageQuery, group: Hit[]): Vulnerability {
  const records = group.map((h) => h.record);
  const primary = primaryRecord(records);
  const entries = group.flatMap((h) => h.entries);
  const ordered = [primary, ...records.filter((r) => r !== primary)];
  const rated = bestSeverity(ordered, group);
  const fix = suggestFix(entries, query.ecosystem, pkg.name, query.version);
  return {
    id: primary.id,
    aliases: allAliases(records, primary.id),
    summary: ordered.map((r) => r.summary).find((s): s is string => typeof s === 'string' && s.length > 0) ?? '',
    details: ordered.map((r) => r.details).find((s): s is string => typeof s === 'string' && s.length > 0) ?? '',
    severity: rated.severity,
    severitySource: rated.source,
    cvss: rated.cvss,
    package: { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, purl: pkg.purl },
    fixedVersions: fix.fixedVersions,
    fixStatus: fix.fixStatus,
    fixCommand: fix.fixCommand,
    references: referencesOf(ordered),
    published: primary.published ?? null,
    modified: primary.modified ?? null,
    layer: pkg.layer,
    knownExploited: null,
    epss: null,
    tags: fix.fixStatus === 'fixed' ? ['fixable'] : [],
  };
}

function referencesOf(records: OsvRecord[]): string[] {
  const urls = new Set<string>();
  for (const record of records) for (const ref of record.references ?? []) if (typeof ref?.url === 'string') urls.add(ref.url);
  return [...urls];
}

/** The primary record's severity, unless an alias has a CVSS score (or any rating) where it has none. */
function bestSeverity(ordered: OsvRecord[], group: Hit[]): SeverityResult {
  let fallback: SeverityResult | null = null;
  for (const record of ordered) {
    const result = severityOf(record, group.find((h) => h.record === record)?.entries ?? []);
    if (result.cvss.score !== null) return result;
    if (!fallback || (fallback.severity === 'unknown' && result.severity !== 'unknown')) fallback = result;
  }
  return fallback ?? { severity: 'unknown', source: 'none', cvss: { score: null, vector: null } };
}

function maliciousFinding(pkg: Package, record: OsvRecord): MalwareFinding {
  const path = pkg.paths[0] ?? '';
  return {
    name: `${record.id} ${pkg.ecosystem}/${pkg.name}@${pkg.version}`,
    type: 'trojan',
    subtype: 'malicious-package',
    severity: 'critical',
    path,
    fileName: path.split('/').pop() ?? '',
    size: 0,
    md5: null,
    sha256: null,
    layer: pkg.layer,
    engine: 'osv-malicious',
    description: record.summary || record.details?.split('\n')[0] || `${pkg.name} is a known malicious ${pkg.ecosystem} package`,
    suggestion: `Remove ${pkg.name}@${pkg.version} from the image, rebuild it from a clean base, and rotate any secrets the build or container could reach.`,
    inFinalFilesystem: true,
  };
}

const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, unknown: 4 };
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Worst first: what attackers are known to use (CISA KEV), then severity, then the likelihood
 * of exploitation (EPSS), then score, then package and ID for a stable order.
 */
export function sortVulnerabilities(list: Vulnerability[]): Vulnerability[] {
  return [...list].sort(
    (a, b) =>
      Number(Boolean(b.knownExploited)) - Number(Boolean(a.knownExploited)) ||
      severityRank[a.severity] - severityRank[b.severity] ||
      (b.epss?.score ?? -1) - (a.epss?.score ?? -1) ||
      (b.cvss.score ?? -1) - (a.cvss.score ?? -1) ||
      byText(a.package.name, b.package.name) ||
      byText(a.package.version, b.package.version) ||
      byText(a.id, b.id),
  );
}
