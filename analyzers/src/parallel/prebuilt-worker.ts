/**
 * Where this copy of Shipshape keeps a layer worker compiled ahead of time, as a file URL, or
 * null. From the sources it is null: worker-bundle.ts bundles the worker from them when a pool
 * starts. The compiled CLI has no sources to bundle, so `npm run build` (scripts/build.ts)
 * compiles the worker beside the main bundle and replaces this module in dist/ with one that
 * names that file. A module of its own so that the swap is the whole of what the build changes.
 */
export const prebuiltLayerWorker: string | null = null;
