/**
 * A data update's re-match, or a share of it, as the helper's thread or one worker thread
 * (vulndb/jobs) runs it: its own handle on the database and on the report files, the matcher's
 * memo for its images, and one outcome per image. The images of a host mostly share their
 * packages, so a run ranges and enriches each package once for all the images it is given.
 */
import type { IgnoreRule, ScanReport } from '@shipshape/shared';
import { coverageGap } from '../../vulndb/coverage.ts';
import { asyncReportMatcher, reportMatcher } from '../../vulndb/match-report.ts';
import { openVulnDb, type VulnDb } from '../../vulndb/store.ts';
import { ReportStore } from '../report-store.ts';
import { rematchAll, type RematchOutcome, type RematchTarget } from './rematch-one.ts';

export interface RematchJob {
  kind: 'rematch';
  /** Where the vulnerability database is (the helper's data dir). */
  dataDir: string;
  /** Where the report files are (`<dir>/reports`; the helper's data dir). */
  reportsDataDir: string;
  targets: RematchTarget[];
  ignores: IgnoreRule[];
  /** ISO time that decides which ignores have expired. */
  now: string;
}

/** What a run in the helper's own thread uses of the helper's: its open database and its report store (warm pages, kept buffers). */
export interface HelperParts {
  db: VulnDb;
  reports: ReportStore;
}

/**
 * With `helper`, the run is in the helper's own thread: the matching gives way to the event loop
 * between slices of packages (a distro image's first match is most of a second). Without it
 * (a worker), the job opens the database and the report files itself and matches each report
 * at once.
 */
export async function runRematchJob(job: RematchJob, onOutcome: (outcome: RematchOutcome) => void, signal?: AbortSignal, helper?: HelperParts): Promise<{ images: number }> {
  const db = helper?.db ?? openVulnDb(job.dataDir);
  if (!db) throw new Error('no vulnerability database to re-match against');
  try {
    const reports = helper?.reports ?? (await ReportStore.open(job.reportsDataDir));
    const covered = db.coveredEcosystems();
    const context = {
      load: (id: string) => reports.load(id),
      match: helper ? asyncReportMatcher(db, { keepRecords: false }) : reportMatcher(db, { keepRecords: false }),
      gap: (report: ScanReport) => coverageGap(report.packages, covered),
      save: (report: ScanReport, id: string) => reports.save(report, id),
      ignores: job.ignores,
      now: new Date(job.now),
    };
    await rematchAll(job.targets, context, onOutcome, signal);
    return { images: job.targets.length };
  } finally {
    if (!helper) db.close();
  }
}
