/**
 * Where this copy of Shipshape keeps the data-update worker compiled ahead of time, as a file
 * URL, or null. From the sources it is null: in-worker.ts starts the TypeScript entry through
 * tsx. The compiled CLI has neither sources nor tsx, so `npm run build` (scripts/build.ts)
 * compiles the worker beside the main bundle and replaces this module in dist/ with one that
 * names that file (as analyzers/src/parallel/prebuilt-worker.ts for the layer worker).
 */
export const prebuiltJobWorker: string | null = null;
