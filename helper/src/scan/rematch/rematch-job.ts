/**
 * A share of a data update's re-match, as one worker thread runs it (vulndb/jobs): its own
 * handle on the database and on the report files, the matcher's memo for its images, and one
 * outcome message per image. The images of a host mostly share their packages, so each thread
 * ranges and enriches a package once for all the images it is given.
 */
import type { IgnoreRule, ScanReport } from '@shipshape/shared';
import { coverageGap } from '../../vulndb/coverage.ts';
import { reportMatcher } from '../../vulndb/match-report.ts';
import { openVulnDb } from '../../vulndb/store.ts';
import { ReportStore } from '../report-store.ts';
import { rematchOne, type RematchOutcome, type RematchTarget } from './rematch-one.ts';

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

export async function runRematchJob(job: RematchJob, onOutcome: (outcome: RematchOutcome) => void, signal?: AbortSignal): Promise<{ images: number }> {
  const db = openVulnDb(job.dataDir);
  if (!db) throw new Error('no vulnerability database to re-match against');
  try {
    const reports = await ReportStore.open(job.reportsDataDir);
    const covered = db.coveredEcosystems();
    const context = {
      load: (id: string) => reports.load(id),
      match: reportMatcher(db, { keepRecords: false }),
      gap: (report: ScanReport) => coverageGap(report.packages, covered),
      save: (report: ScanReport, id: string) => reports.save(report, id),
      ignores: job.ignores,
      now: new Date(job.now),
    };
    for (const target of job.targets) {
      signal?.throwIfAborted();
      onOutcome(await rematchOne(target, context));
    }
    return { images: job.targets.length };
  } finally {
    db.close();
  }
}
