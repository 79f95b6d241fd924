/**
 * Adds vulnerability findings (and malicious-package malware findings) to a scan report
 * from its package inventory, so stored inventories can be re-matched after a data
 * update without exporting the image again. Earlier `osv-malicious` findings are
 * replaced; malware from other engines is kept.
 *
 * Each finding then gets what the per-CVE data knows (cve-facts in the analyzers): a severity
 * from NVD when its advisories rate none, whether CISA lists it as exploited, its EPSS score.
 * Its CVEs are its own ID and aliases plus, one hop further, the CVEs of alias advisories the
 * database holds (a GO record naming only a GHSA whose record names the CVE).
 */
import { enrichVulnerability, hitsFor, isCveId, matchPackages, matchPackagesAsync, packageFindings, queryFor, severityOf, type CveFacts, type FindingsOf, type Hit, type MatchResult, type OsvRecord, type PackageFindings, type SeverityResult } from '@shipshape/analyzers/match/index.ts';
import { sortVulnerabilities } from '@shipshape/analyzers/match/index.ts';
import type { LayerRef, MalwareFinding, Package, ScanReport, Vulnerability } from '@shipshape/shared';
import { withFindingOrigins, type FindingOrigins } from './finding-origins.ts';
import { DigestMemo, type VulnDb } from './store.ts';

export type Matchable = Pick<ScanReport, 'packages'> & Partial<Pick<ScanReport, 'vulnerabilities' | 'malware' | 'notes'>>;
export type Matched<R extends Matchable> = R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] };

const severityRank = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 } as const;

/** Notes this module writes (replaced, not repeated, when a report is re-matched). */
const UNRATED_NOTE = /^\d+ vulnerabilit(y has|ies have) no severity: /;

export interface MatcherOptions {
  /**
   * false: the records parsed are not kept in the database's cache (the matcher keeps those
   * that affect a package itself). For a data update's re-match, which reads every record of
   * every stored inventory's packages once; scans (one report each) keep them for the next.
   */
  keepRecords?: boolean;
  /**
   * Applied once to each distinct finding the matcher works out, before it is copied for each
   * package's layer: the recorder's priority tags, so that the copies of a re-match's hundred
   * reports are already tagged and need no second copy there.
   */
  finishFinding?: (finding: Vulnerability) => Vulnerability;
}

/** The memoised lookup of one opened database and what turns raw matches into a report's findings. */
function matcherParts(db: VulnDb, options: MatcherOptions) {
  db.refresh();
  const keep = options.keepRecords !== false;
  const finishFinding = options.finishFinding ?? ((finding: Vulnerability) => finding);
  const lookup = keep ? db.lookup : db.lookupUncached;
  // Only the records that affect a query are kept (a few per cent of those naming a distro
  // package): the binary packages of one source package share them, and memory stays small.
  const hitsByQuery = new Map<string, Hit[]>();
  const digests = new DigestMemo();
  const hitsOf = (pkg: Package): Hit[] => {
    const query = queryFor(pkg);
    const key = `${query.ecosystem}\0${query.name}\0${query.version}`;
    let hits = hitsByQuery.get(key);
    if (!hits) hitsByQuery.set(key, (hits = hitsFor(query, db.lookupFor(query, keep, digests))));
    return hits;
  };
  const aliasRecords = new Map<string, OsvRecord[]>();
  const recordsFor = (id: string) => {
    let hit = aliasRecords.get(id);
    if (!hit) aliasRecords.set(id, (hit = db.advisoriesById(id)));
    return hit;
  };
  const facts = new Map<string, CveFacts | null>();
  const factsFor = (cves: Set<string>): Map<string, CveFacts> => {
    const missing = [...cves].filter((c) => !facts.has(c));
    if (missing.length > 0) {
      const found = db.cveFacts(missing);
      for (const c of missing) facts.set(c, found.get(c) ?? null);
    }
    const out = new Map<string, CveFacts>();
    for (const c of cves) {
      const f = facts.get(c);
      if (f) out.set(c, f);
    }
    return out;
  };
  const nvdPresent = db.hasNvdData();

  const enrich = (v: Vulnerability): Vulnerability => {
    const ids = [v.id, ...v.aliases];
    const cves = new Set(ids.filter(isCveId));
    let aliasSeverity: SeverityResult | null = null;
    for (const id of ids) {
      if (isCveId(id)) continue;
      for (const record of recordsFor(id)) {
        for (const alias of [record.id, ...(record.aliases ?? [])]) if (isCveId(alias)) cves.add(alias);
        if (id === v.id) continue; // the finding's own record: the match already rated it
        const rated = severityOf(record);
        if (rated.source !== 'none' && (!aliasSeverity || severityRank[rated.severity] > severityRank[aliasSeverity.severity])) aliasSeverity = rated;
      }
    }
    return enrichVulnerability(v, { cves: factsFor(cves), aliasSeverity });
  };

  /**
   * Each package's enriched findings, computed once per package identity for the matcher's
   * life: the images of one host mostly share their packages (a base image, the same
   * dependencies), so re-matching a hundred inventories ranges, groups and enriches each
   * distinct package once. A package met again in another layer gets copies naming its layer.
   */
  const byPackage = new Map<string, PackageFindings>();
  /** `origins`: where the findings handed out go back to (finding-origins.ts). */
  const findingsOf = (pkg: Package, origins: FindingOrigins): PackageFindings => {
    const key = packageKey(pkg);
    let found = byPackage.get(key);
    if (!found) {
      const raw = packageFindings(pkg, lookup, hitsOf(pkg));
      found = { vulnerabilities: raw.vulnerabilities.map((v) => finishFinding(enrich(v))), malicious: raw.malicious };
      byPackage.set(key, found);
    }
    const canonical = found.vulnerabilities;
    const layer = canonical[0]?.layer;
    if (!layer || sameLayer(layer, pkg.layer)) {
      for (const v of canonical) origins.set(v, v);
      return found;
    }
    const copies = canonical.map((v) => {
      const copy = { ...v, layer: pkg.layer };
      origins.set(copy, v);
      return copy;
    });
    return { vulnerabilities: copies, malicious: found.malicious };
  };

  /** The report with these findings, each already enriched. */
  const finish = <R extends Matchable>(report: R, { vulnerabilities, malware }: MatchResult, origins: FindingOrigins): Matched<R> => {
    const enriched = sortVulnerabilities(vulnerabilities);
    const otherMalware = (report.malware ?? []).filter((m) => m.engine !== 'osv-malicious');
    const unrated = enriched.filter((v) => v.severitySource === 'none').length;
    const notes = (report.notes ?? []).filter((n) => !UNRATED_NOTE.test(n));
    if (unrated > 0) notes.push(unratedNote(unrated, nvdPresent));
    return withFindingOrigins({ ...report, vulnerabilities: enriched, malware: [...otherMalware, ...malware], ...(report.notes || unrated > 0 ? { notes } : {}) }, origins);
  };
  /** One report's match: its findings, and where each came from. */
  const forReport = () => {
    const origins: FindingOrigins = new Map();
    const source: { findingsOf: FindingsOf } = { findingsOf: (pkg) => findingsOf(pkg, origins) };
    return { source, finish: <R extends Matchable>(report: R, result: MatchResult) => finish(report, result, origins) };
  };
  return { forReport };
}

/** What a package's findings depend on, its layer aside. */
const packageKey = (p: Package) => `${p.ecosystem}\0${p.name}\0${p.version}\0${p.sourceName ?? NONE}\0${p.sourceVersion ?? NONE}\0${p.purl}`;
/** Stands for null in packageKey: no package field holds a control character. */
const NONE = '\u0001';
const sameLayer = (a: LayerRef, b: LayerRef) => a === b || (a.diffId === b.diffId && a.createdBy === b.createdBy);

/**
 * A matcher over one opened database. Advisory lookups, alias records, CVE facts and each
 * package's enriched findings are memoised for the matcher's life, so re-matching many reports
 * (a data update) reads, ranges and enriches each package and CVE once: the images of one host
 * mostly share them.
 */
export function reportMatcher(db: VulnDb, options: MatcherOptions = {}): <R extends Matchable>(report: R) => Matched<R> {
  const { forReport } = matcherParts(db, options);
  return (report) => {
    const { source, finish } = forReport();
    return finish(report, matchPackages(report.packages, source));
  };
}

/**
 * reportMatcher for a server: the event loop runs between slices of packages (a distro
 * image's packages can name tens of thousands of advisories, seconds of work the API must not
 * wait behind). Same result.
 */
export function asyncReportMatcher(db: VulnDb, options: MatcherOptions = {}): <R extends Matchable>(report: R) => Promise<Matched<R>> {
  const { forReport } = matcherParts(db, options);
  return async (report) => {
    const { source, finish } = forReport();
    return finish(report, await matchPackagesAsync(report.packages, source));
  };
}

/** Says why findings are `unknown`, and what would rate them. */
export function unratedNote(count: number, nvdPresent: boolean): string {
  const head = `${count} vulnerabilit${count === 1 ? 'y has' : 'ies have'} no severity: `;
  return nvdPresent
    ? `${head}neither their advisories, the distro nor NVD's CVE data rate them`
    : `${head}their advisories give none and there is no NVD CVE data to rate their CVEs (a data update fetches it; offline: 'shipshape db import nvdcve-2.0-YYYY.json.gz')`;
}

export function matchReport<R extends Matchable>(report: R, db: VulnDb): Matched<R> {
  return reportMatcher(db)(report);
}

export function matchReportAsync<R extends Matchable>(report: R, db: VulnDb): Promise<Matched<R>> {
  return asyncReportMatcher(db)(report);
}
