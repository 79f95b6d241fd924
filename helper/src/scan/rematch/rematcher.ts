/**
 * How a data update re-matches the stored reports: a Rematcher takes the images and tells each
 * one's outcome as it comes. inThreadRematcher runs them one after another in the caller's
 * thread with the matcher it is given; the helper's (helper-rematcher.ts) gives it the helper's
 * database and report store.
 */
import type { IgnoreRule, LayerRef, ScanReport } from '@shipshape/shared';
import type { ReportStore } from '../report-store.ts';
import type { ReportWriterThread } from './report-writer-thread.ts';
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
  /**
   * A thread that writes the re-matched reports (report-writer-thread.ts), for runs of at least
   * WRITER_MIN_TARGETS images; it is started when the run starts and closed when it ends. When
   * none starts, or it fails a write, the report is written here.
   */
  writer?: () => Promise<ReportWriterThread | null>;
}

/** Below this many images, starting a writer thread (~0.2 s) costs more than it saves. */
export const WRITER_MIN_TARGETS = 8;

export function inThreadRematcher(parts: InThreadParts): Rematcher {
  return async ({ targets, ignores, now, onOutcome, signal }) => {
    const writer = parts.writer && targets.length >= WRITER_MIN_TARGETS ? parts.writer() : null;
    // The file bytes each report was read from, for the writer thread.
    const bytesOf = new WeakMap<ScanReport, Uint8Array>();
    const context = {
      load: async (id: string) => {
        if (!writer) return withSharedLayers(await parts.reports.load(id));
        const loaded = await parts.reports.loadWithBytes(id);
        if (loaded?.bytes) bytesOf.set(loaded.report, loaded.bytes);
        return withSharedLayers(loaded?.report ?? null);
      },
      match: parts.match,
      ...(parts.gap ? { gap: parts.gap } : {}),
      save: async (report: ScanReport, id: string, from: { stored: ScanReport; matched: ScanReport }) => {
        const thread = await writer;
        const bytes = bytesOf.get(from.stored);
        bytesOf.delete(from.stored);
        if (thread && bytes) {
          try {
            return await parts.reports.saveWritten(report, id, (path) => thread.write(path, report, { report: from.stored, bytes }, from.matched));
          } catch {
            // The thread could not (it stopped, or the write failed): written here instead.
          }
        }
        return parts.reports.save(report, id);
      },
      ignores,
      now,
    };
    try {
      await rematchAll(targets, context, onOutcome, signal);
    } finally {
      await (await writer)?.close();
    }
  };
}

/**
 * The report with the packages of one layer sharing one layer object: a report file has a copy
 * per package (a thousand per image), which the findings made for each package would carry on,
 * and which the re-match would hold and tell apart one by one.
 */
function withSharedLayers(report: ScanReport | null): ScanReport | null {
  if (!report) return report;
  const shared = new Map<string, LayerRef>();
  for (const pkg of report.packages) {
    if (!pkg.layer) continue; // not in the contract: left to the matcher to refuse
    const { diffId, createdBy } = pkg.layer;
    const key = createdBy === null ? diffId : `${diffId}\0${createdBy}`;
    const kept = shared.get(key);
    if (!kept) shared.set(key, pkg.layer);
    else if (kept !== pkg.layer) pkg.layer = kept;
  }
  return report;
}
