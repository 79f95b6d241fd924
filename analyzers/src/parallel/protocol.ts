/**
 * Messages between the scan and its layer workers (worker threads). A worker builds its own
 * analyzers from a recipe (analyzers hold functions and compiled state, which cannot cross a
 * thread): `module` exports `createAnalyzers(options)`, and `key` says when two recipes give
 * the same set, so a worker builds each set once.
 */
import type { AnalyzerCategory, ImageMetadata, ImageMetadataFindings } from '../analyzer.ts';
import type { LayerResult } from '../walker/layer-result.ts';

/** An analyzer a worker built, as `describe` names it. */
export interface DescribedAnalyzer {
  name: string;
  version: number;
  category: AnalyzerCategory;
}

export interface AnalyzerRecipe {
  /** URL of a module exporting `createAnalyzers(options: unknown): Promise<Analyzer[]> | Analyzer[]`. */
  module: string;
  /** Structured-cloneable: paths and settings, not parsed rule sets. */
  options: unknown;
  key: string;
}

export interface LayerRefForJob {
  /** What analyzers see as the layer: its diffID when known, else the archive blob path. */
  diffId: string;
  index: number;
}

/** A layer folder read in place (one shard of it). */
export interface FolderJob {
  kind: 'folder';
  label: string;
  layer: LayerRefForJob;
  diffDir: string;
  /** Docker's tar-split record, for the exported size (read by shard 0 only). */
  tarSplit: string | null;
  shard: { index: number; count: number };
}

/** An uncompressed layer tar streamed to the worker in chunks. */
export interface StreamJob {
  kind: 'stream';
  label: string;
  layer: LayerRefForJob;
}

/** An uncompressed layer tar the scan wrote to a file (layer-spool.ts): the worker reads it at its own pace. */
export interface TarFileJob {
  kind: 'tar-file';
  label: string;
  layer: LayerRefForJob;
  /** The open file (the scan's descriptor, shared by the worker thread: read at positions, never closed here); it has no name. */
  fd: number;
  /** The part of the layer's analysis this job does: a large layer is shared by several workers, each reading its headers and only its own files. */
  shard: { index: number; count: number };
}

export type LayerJob = FolderJob | StreamJob | TarFileJob;

export type ToWorker =
  | { type: 'job'; id: number; recipe: AnalyzerRecipe; job: LayerJob }
  /** Build the recipe's analyzers and name them (name, version, category): the scan's cache key, made off the caller's thread. */
  | { type: 'describe'; id: number; recipe: AnalyzerRecipe }
  /** Build the recipe's analyzers now, while the worker has nothing else to do (no answer: a job of that recipe waits for the same build). */
  | { type: 'warm'; recipe: AnalyzerRecipe }
  /** Run the set's image-metadata checks (secrets in the config and history): the rules are compiled there already. */
  | { type: 'inspect-image'; id: number; recipe: AnalyzerRecipe; image: ImageMetadata }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  /** InPlaceReadError's failure kind. */
  failure?: string;
}

export type FromWorker =
  | { type: 'ack'; id: number; bytes: number }
  | { type: 'done'; id: number; result: LayerResult }
  | { type: 'described'; id: number; analyzers: DescribedAnalyzer[] }
  /** One entry per analyzer of the set that inspects image metadata. */
  | { type: 'image-inspected'; id: number; results: ImageMetadataFindings[] }
  | { type: 'failed'; id: number; error: SerializedError };
