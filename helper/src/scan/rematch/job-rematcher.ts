/**
 * The helper's re-match: the stored reports re-matched by the job rematch-job.ts runs, in the
 * helper's own thread (the default) or in worker threads, each taking a share of the images
 * with its own database handle and writing its images' report files itself.
 *
 * Why the helper's own thread: on the 2-core machine the benchmarks run on, a worker starts in
 * ~0.2 s and warms its own lookups, and two workers in one process took ~50% more CPU than one
 * thread for the same images (allocation-heavy threads slow each other down), so neither one
 * nor two workers finished sooner (`pnpm bench vulndb` prints all three). The matching gives way
 * to the event loop between slices of packages, so the API still answers meanwhile.
 */
import { availableParallelism } from 'node:os';
import { runInWorker } from '../../vulndb/jobs/in-worker.ts';
import type { VulnDb } from '../../vulndb/store.ts';
import type { ReportStore } from '../report-store.ts';
import { runRematchJob, type RematchJob } from './rematch-job.ts';
import type { RematchTarget } from './rematch-one.ts';
import type { Rematcher } from './rematcher.ts';

/** Below this many images per thread, a second thread's start and its own lookups cost more than they save. */
const MIN_IMAGES_PER_THREAD = 8;

/** How many worker threads the helper re-matches in by default: none (see above). */
export function rematchThreads(): number {
  return 0;
}

export interface JobRematcherOptions {
  /** The helper's data dir: the vulnerability database and the report files. */
  dataDir: string;
  /** Where the report files are when not in dataDir (benchmarks). */
  reportsDataDir?: string;
  /** Worker threads at most; 0: the same job in the caller's thread. */
  threads?: number;
  /** In the caller's thread: its open database (null: none) and its report store, else the job opens its own. */
  own?: { db(): VulnDb | null; reports: ReportStore };
}

export function jobRematcher(options: JobRematcherOptions): Rematcher {
  return async ({ targets, ignores, now, onOutcome, signal }) => {
    if (targets.length === 0) return;
    const job = (share: RematchTarget[]): RematchJob => ({ kind: 'rematch', dataDir: options.dataDir, reportsDataDir: options.reportsDataDir ?? options.dataDir, targets: share, ignores: [...ignores], now: now.toISOString() });
    const threads = options.threads ?? rematchThreads();
    if (threads === 0) {
      const db = options.own ? options.own.db() : null;
      if (options.own && !db) throw new Error('no vulnerability database to re-match against');
      await runRematchJob(job(targets), onOutcome, signal, db && options.own ? { db, reports: options.own.reports } : undefined);
      return;
    }
    const most = Math.min(threads, availableParallelism());
    const shares = split(targets, Math.max(1, Math.min(most, Math.floor(targets.length / MIN_IMAGES_PER_THREAD))));
    // One share failing stops the others, and the run ends with that first error once every
    // thread has stopped (none reports an outcome after the run is over).
    const stop = new AbortController();
    let failure: unknown = null;
    const onAbort = () => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.allSettled(
        shares.map((share) =>
          runInWorker(job(share), onOutcome, stop.signal).catch((error: unknown) => {
            failure ??= error;
            stop.abort(error);
          }),
        ),
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) throw signal.reason;
    if (failure) throw failure;
  };
}

/** Round robin, so each share gets images from all over the list (sizes even out). */
function split<T>(items: T[], parts: number): T[][] {
  const shares: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => shares[i % parts]!.push(item));
  return shares;
}
