/**
 * The helper's re-match: the stored reports are re-matched in worker threads (as many as the
 * cores, at most MAX_THREADS), each taking a share of the images with its own database handle,
 * so the API thread only records outcomes. Every thread writes its images' report files itself.
 */
import { availableParallelism } from 'node:os';
import { runInWorker } from '../../vulndb/jobs/in-worker.ts';
import type { RematchTarget } from './rematch-one.ts';
import type { Rematcher } from './rematcher.ts';

/** More threads than two would contend with the API's thread and the scans on a laptop's cores. */
const MAX_THREADS = 2;
/** Below this many images per thread, a second thread's start and its own lookups cost more than they save. */
const MIN_IMAGES_PER_THREAD = 8;

export interface WorkerRematcherOptions {
  /** The helper's data dir: the vulnerability database and the report files. */
  dataDir: string;
  /** Where the report files are when not in dataDir (benchmarks). */
  reportsDataDir?: string;
  threads?: number;
}

export function workerRematcher(options: WorkerRematcherOptions): Rematcher {
  return async ({ targets, ignores, now, onOutcome, signal }) => {
    if (targets.length === 0) return;
    const most = options.threads ?? Math.min(MAX_THREADS, Math.max(1, availableParallelism()));
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
          runInWorker(
            { kind: 'rematch', dataDir: options.dataDir, reportsDataDir: options.reportsDataDir ?? options.dataDir, targets: share, ignores: [...ignores], now: now.toISOString() },
            onOutcome,
            stop.signal,
          ).catch((error: unknown) => {
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
