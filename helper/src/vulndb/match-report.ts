/**
 * Adds vulnerability findings (and malicious-package malware findings) to a scan report
 * from its package inventory, so stored inventories can be re-matched after a data
 * update without exporting the image again. Earlier `osv-malicious` findings are
 * replaced; malware from other engines is kept.
 */
import { matchPackages } from '@shipshape/analyzers/match/index.ts';
import type { MalwareFinding, ScanReport, Vulnerability } from '@shipshape/shared';
import type { VulnDb } from './store.ts';

export type Matchable = Pick<ScanReport, 'packages'> & Partial<Pick<ScanReport, 'vulnerabilities' | 'malware'>>;

export function matchReport<R extends Matchable>(report: R, db: VulnDb): R & { vulnerabilities: Vulnerability[]; malware: MalwareFinding[] } {
  db.refresh();
  const { vulnerabilities, malware } = matchPackages(report.packages, db.lookup);
  const otherMalware = (report.malware ?? []).filter((m) => m.engine !== 'osv-malicious');
  return { ...report, vulnerabilities, malware: [...otherMalware, ...malware] };
}
