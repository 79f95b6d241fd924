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
import { enrichVulnerability, isCveId, matchPackages, matchPackagesAsync, severityOf, type AdvisoryLookup, type CveFacts, type MatchResult, type OsvRecord, type SeverityResult } from '@shipshape/analyzers/match/index.ts';
import { sortVulnerabilities } from '@shipshape/analyzers/match/index.ts';
import type { MalwareFinding, ScanReport, Vulnerability } from '@shipshape/shared';
import type { VulnDb } from './store.ts';

export type Matchable = Pick<ScanReport, 'packages'> & Partial<Pick<ScanReport, 'vulnerabilities' | 'malware' | 'notes'>>;
export type Matched<R extends Matchable> = R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] };

const severityRank = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 } as const;

/** Notes this module writes (replaced, not repeated, when a report is re-matched). */
const UNRATED_NOTE = /^\d+ vulnerabilit(y has|ies have) no severity: /;

/** The memoised lookup of one opened database and what turns raw matches into a report's findings. */
function matcherParts(db: VulnDb) {
  db.refresh();
  const lookups = new Map<string, OsvRecord[]>();
  const lookup: AdvisoryLookup = (ecosystem, name) => {
    const key = `${ecosystem}\u0000${name}`;
    let hit = lookups.get(key);
    if (!hit) lookups.set(key, (hit = db.lookup(ecosystem, name)));
    return [...hit];
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

  /** The report with these findings, each already enriched. */
  const finish = <R extends Matchable>(report: R, { vulnerabilities, malware }: MatchResult): Matched<R> => {
    const enriched = sortVulnerabilities(vulnerabilities);
    const otherMalware = (report.malware ?? []).filter((m) => m.engine !== 'osv-malicious');
    const unrated = enriched.filter((v) => v.severitySource === 'none').length;
    const notes = (report.notes ?? []).filter((n) => !UNRATED_NOTE.test(n));
    if (unrated > 0) notes.push(unratedNote(unrated, nvdPresent));
    return { ...report, vulnerabilities: enriched, malware: [...otherMalware, ...malware], ...(report.notes || unrated > 0 ? { notes } : {}) };
  };
  return { lookup, enrich, finish };
}

/**
 * A matcher over one opened database. Advisory lookups, alias records and CVE facts are
 * memoised for the matcher's life, so re-matching many reports (a data update) reads each
 * package and CVE once: the images of one host mostly share them.
 */
export function reportMatcher(db: VulnDb): <R extends Matchable>(report: R) => Matched<R> {
  const { lookup, enrich, finish } = matcherParts(db);
  return (report) => {
    const { vulnerabilities, malware } = matchPackages(report.packages, lookup);
    return finish(report, { vulnerabilities: vulnerabilities.map(enrich), malware });
  };
}

/**
 * reportMatcher for a server: the event loop runs between slices of packages and of findings
 * (a distro image's packages can name tens of thousands of advisories, seconds of work the
 * API must not wait behind). Same result.
 */
export function asyncReportMatcher(db: VulnDb): <R extends Matchable>(report: R) => Promise<Matched<R>> {
  const { lookup, enrich, finish } = matcherParts(db);
  return async (report) => {
    const { vulnerabilities, malware } = await matchPackagesAsync(report.packages, lookup);
    // Enriching reads alias records and CVE facts for every finding: thousands for a distro
    // image against the full feed, seconds of work on a loaded machine. In slices too.
    const enriched: Vulnerability[] = [];
    for (const [i, v] of vulnerabilities.entries()) {
      if (i > 0 && i % ENRICH_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      enriched.push(enrich(v));
    }
    return finish(report, { vulnerabilities: enriched, malware });
  };
}

const ENRICH_SLICE = 64;

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
