/**
 * The helper's re-match: every stored report re-matched in the helper's own thread, with its
 * open database (warm pages, prepared statements) and its report store (kept buffers); the
 * matcher's memo serves all images, which mostly share their packages, and the matching gives
 * way to the event loop between slices of packages, so the API answers meanwhile.
 *
 * The reports are written by a thread of their own (report-writer-thread.ts), which the matching
 * thread sends each distinct finding once and then references. Matching in worker threads was
 * tried and measured (`pnpm bench vulndb`, 2026-12-05): on this project's 2-core machine a
 * worker took ~0.2 s to start and warmed its own lookups, and two workers in one process took
 * ~50% more CPU than one thread for the same images, so neither one nor two finished sooner
 * (3.32 and 3.15 s against 2.78 s); they were not kept.
 */
import { coverageGap } from '../../vulndb/coverage.ts';
import { asyncReportMatcher } from '../../vulndb/match-report.ts';
import type { VulnDb } from '../../vulndb/store.ts';
import { withPriorityTags } from '../priority.ts';
import type { ReportStore } from '../report-store.ts';
import { inThreadRematcher, type Rematcher } from './rematcher.ts';
import { ReportWriterThread } from './report-writer-thread.ts';

export interface HelperRematcherOptions {
  /** The helper's open database; null when there is none. */
  db(): VulnDb | null;
  reports: ReportStore;
  /** Starts the thread that writes the re-matched reports (default: ReportWriterThread.start). */
  startWriter?: () => Promise<ReportWriterThread | null>;
}

export function helperRematcher(options: HelperRematcherOptions): Rematcher {
  return async (run) => {
    const db = options.db();
    if (!db) throw new Error('no vulnerability database to re-match against');
    const covered = db.coveredEcosystems();
    await inThreadRematcher({
      reports: options.reports,
      match: asyncReportMatcher(db, { keepRecords: false, finishFinding: withPriorityTags }),
      gap: (report) => coverageGap(report.packages, covered),
      writer: options.startWriter ?? (() => ReportWriterThread.start()),
    })(run);
  };
}
