/**
 * Adds vulnerability findings (and malicious-package malware findings) to a scan report
 * from its package inventory, so stored inventories can be re-matched after a data
 * update without exporting the image again. Earlier `osv-malicious` findings are
 * replaced; malware from other engines is kept.
 */
import { matchPackages, matchPackagesAsync, type MatchResult } from '@shipshape/analyzers/match/index.ts';
import type { MalwareFinding, ScanReport, Vulnerability } from '@shipshape/shared';
import type { VulnDb } from './store.ts';

export type Matchable = Pick<ScanReport, 'packages'> & Partial<Pick<ScanReport, 'vulnerabilities' | 'malware'>>;

export function matchReport<R extends Matchable>(report: R, db: VulnDb): R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] } {
  db.refresh();
  return withMatches(report, matchPackages(report.packages, db.lookup));
}

/** matchReport in slices, letting the event loop run between them (the helper's scans and re-matches). */
export async function matchReportAsync<R extends Matchable>(report: R, db: VulnDb): Promise<R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] }> {
  db.refresh();
  return withMatches(report, await matchPackagesAsync(report.packages, db.lookup));
}

/** The report with these matches: earlier `osv-malicious` malware replaced, other engines' kept. */
export function withMatches<R extends Matchable>(report: R, { vulnerabilities, malware }: MatchResult): R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] } {
  const otherMalware = (report.malware ?? []).filter((m) => m.engine !== 'osv-malicious');
  return { ...report, vulnerabilities, malware: [...otherMalware, ...malware] };
}
