// The layer worker's entry: plain JavaScript, so the worker can register tsx (Node 20 does
// not hand a worker its parent's `--import tsx`) before loading the TypeScript worker.
import { workerData } from 'node:worker_threads';

if (workerData?.registerTypeScript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('./layer-worker.ts');
