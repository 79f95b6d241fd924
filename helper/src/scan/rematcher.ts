/**
 * The re-match of a data update: matchReport for many stored reports in a row, with advisory
 * lookups (a database query and a JSON parse each) memoised, since the images of one host
 * mostly share packages, and the event loop let run between slices of packages (the API
 * answers meanwhile). Same result as vulndb's matchReport: new vulnerabilities,
 * `osv-malicious` malware replaced.
 */
import { matchPackagesAsync, type AdvisoryLookup } from '@shipshape/analyzers';
import type { ScanReport } from '@shipshape/shared';
import { withMatches, type VulnDb } from '../vulndb/index.ts';

export function memoisedMatcher(db: VulnDb): (report: ScanReport) => Promise<ScanReport> {
  db.refresh();
  const memo = new Map<string, ReturnType<AdvisoryLookup>>();
  const lookup: AdvisoryLookup = (ecosystem, name) => {
    const key = `${ecosystem}\u0000${name}`;
    let hit = memo.get(key);
    if (!hit) memo.set(key, (hit = db.lookup(ecosystem, name)));
    return hit;
  };
  return async (report) => withMatches(report, await matchPackagesAsync(report.packages, lookup));
}
