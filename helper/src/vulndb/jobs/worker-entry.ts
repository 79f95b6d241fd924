/**
 * Worker thread of a vulnerability-database job: imports and index builds are long
 * synchronous SQLite calls, which would stall the helper's API and scans on the main thread;
 * a data update's re-match is seconds of matching and report writing. Messages in: the job
 * (workerData), then optionally `{ abort: true }`. Out: progress (a source's state, or one
 * image's re-match outcome), then one `{ result }` or `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runRematchJob, type RematchJob } from '../../scan/rematch/rematch-job.ts';
import { runVulnDbJob, type VulnDbJob } from './job.ts';

const port = parentPort!;
const controller = new AbortController();
port.on('message', (message: { abort?: boolean }) => {
  if (message.abort) controller.abort(new Error('data update stopped'));
});
const job = workerData as VulnDbJob | RematchJob;
const progress = (progress: unknown) => port.postMessage({ progress });
(job.kind === 'rematch' ? runRematchJob(job, progress, controller.signal) : runVulnDbJob(job, progress, controller.signal)).then(
  (result) => port.postMessage({ result }),
  (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
