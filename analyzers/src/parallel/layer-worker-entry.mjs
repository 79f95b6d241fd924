// The layer worker's entry: plain JavaScript, so a worker started where no TypeScript loader
// is inherited (a test runner's process) can register tsx before loading the TypeScript worker.
import { workerData } from 'node:worker_threads';

if (workerData?.registerTypeScript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('./layer-worker.ts');
