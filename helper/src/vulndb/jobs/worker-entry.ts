/**
 * Worker thread of a vulnerability-database job: imports and index builds are long
 * synchronous SQLite calls, which would stall the helper's API and scans on the main thread.
 * Messages in: the job (workerData), then optionally `{ abort: true }`. Out: progress, then
 * one `{ result }` or `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runVulnDbJob, type VulnDbJob } from './job.ts';

const port = parentPort!;
const controller = new AbortController();
port.on('message', (message: { abort?: boolean }) => {
  if (message.abort) controller.abort(new Error('data update stopped'));
});
runVulnDbJob(workerData as VulnDbJob, (progress) => port.postMessage({ progress }), controller.signal).then(
  (result) => port.postMessage({ result }),
  (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
