/**
 * How a data update re-matches the stored reports: a Rematcher takes the images and tells each
 * one's outcome as it comes. inThreadRematcher runs them one after another in the caller's
 * thread with the matcher it is given; the helper's (helper-rematcher.ts) gives it the helper's
 * database and report store.
 */
import type { IgnoreRule, ScanReport } from '@shipshape/shared';
import type { ReportStore } from '../report-store.ts';
import { rematchAll, type RematchOutcome, type RematchTarget } from './rematch-one.ts';

export interface RematchRun {
  targets: RematchTarget[];
  /** Every ignore rule, and the time that decides which have expired (for the verdicts). */
  ignores: readonly IgnoreRule[];
  now: Date;
  /** Called once per target, in no set order across threads. */
  onOutcome(outcome: RematchOutcome): void;
  /** Stops the run between images; the run then rejects with the signal's reason. */
  signal: AbortSignal;
}

export type Rematcher = (run: RematchRun) => Promise<void>;

export interface InThreadParts {
  reports: ReportStore;
  match(report: ScanReport): ScanReport | Promise<ScanReport>;
  gap?(report: ScanReport): string | null;
}

export function inThreadRematcher(parts: InThreadParts): Rematcher {
  return async ({ targets, ignores, now, onOutcome, signal }) => {
    const context = {
      load: (id: string) => parts.reports.load(id),
      match: parts.match,
      ...(parts.gap ? { gap: parts.gap } : {}),
      save: (report: ScanReport, id: string) => parts.reports.save(report, id),
      ignores,
      now,
    };
    await rematchAll(targets, context, onOutcome, signal);
  };
}
