/**
 * Worker thread of the data update. `workerData` says what it runs:
 * - a vulnerability-database job: imports and index builds are long synchronous SQLite calls,
 *   which would stall the helper's API and scans on the main thread. Messages in: the job
 *   (workerData), then optionally `{ abort: true }`. Out: progress, then one `{ result }` or
 *   `{ error }`;
 * - `{ kind: 'report-writer' }`: the re-match's report writer (scan/rematch/report-writer-entry.ts).
 * Each is imported only by the thread that runs it (the writer needs no SQLite).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VulnDbJob } from './job.ts';

const port = parentPort!;
const data = workerData as VulnDbJob | { kind: 'report-writer' };
if (data.kind === 'report-writer') {
  const { serveReportWrites } = await import('../../scan/rematch/report-writer-entry.ts');
  serveReportWrites(port);
} else {
  const { runVulnDbJob } = await import('./job.ts');
  const controller = new AbortController();
  port.on('message', (message: { abort?: boolean }) => {
    if (message.abort) controller.abort(new Error('data update stopped'));
  });
  runVulnDbJob(data, (progress) => port.postMessage({ progress }), controller.signal).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
