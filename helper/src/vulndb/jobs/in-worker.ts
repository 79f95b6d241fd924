/**
 * Runs a vulnerability-database job in a worker thread, so the helper keeps answering while
 * a large feed is imported and indexed. The compiled helper starts the worker `npm run build`
 * compiled beside it; from the sources, one bundled when first needed.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { sourceWorkerBundle } from '@shipshape/analyzers/parallel/worker-bundle.ts';
import type { DataSourceProgress } from '@shipshape/shared';
import type { VulnDbJob, VulnDbJobResult } from './job.ts';
import { prebuiltJobWorker } from './prebuilt-job-worker.ts';

const entry = new URL('./worker-entry.ts', import.meta.url).href;
const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;

/**
 * A data-update worker thread (worker-entry.ts: a job, or the re-match's report writer): the
 * compiled one, or from the sources one file built with esbuild (a worker loading the sources
 * through tsx spends ~1 s of CPU transpiling them first), or, when that cannot be built, the
 * sources through tsx.
 */
export async function newDataWorker(options: WorkerOptions): Promise<Worker> {
  if (prebuiltJobWorker) return new Worker(new URL(prebuiltJobWorker), options);
  const bundled = await sourceWorkerBundle(entry).catch(() => null);
  return bundled ? new Worker(bundled, options) : new Worker(bootstrap, { ...options, eval: true });
}

export async function runInWorker(job: VulnDbJob, onProgress: (progress: DataSourceProgress) => void, signal?: AbortSignal): Promise<VulnDbJobResult> {
  // A small young generation: an import makes much short-lived garbage (one parsed record at a
  // time), and the helper's memory budget counts this thread too.
  const worker = await newDataWorker({ workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 } });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: VulnDbJobResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    // Ask the job to stop (it rolls back its transaction and removes its temporary file);
    // one that does not stop within 10 s is terminated (its leftovers are swept by the next writer).
    const onAbort = () => {
      worker.postMessage({ abort: true });
      setTimeout(() => finish(signal?.reason instanceof Error ? signal.reason : new Error('data update stopped')), 10_000).unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: { progress?: DataSourceProgress; result?: VulnDbJobResult; error?: string }) => {
      if (message.progress) onProgress(message.progress);
      else if (message.result) finish(null, message.result);
      else if (message.error !== undefined) finish(new Error(message.error));
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`the data update worker stopped (exit code ${code})`)));
  });
}
