/**
 * The scan orchestrator: one pass over a `docker save` stream. Each layer is walked as it
 * streams by, the analyzers run on the files they asked for, and at the end the layers are
 * ordered from the manifest and merged (whiteouts applied) into one report.
 */
import type { Readable } from 'node:stream';
import type { ScanReport } from '@shipshape/shared';
import type { Analyzer, AnalyzerCategory } from './analyzer.ts';
import { readImageArchive } from './image/read-archive.ts';
import { qualifyOsPackages } from './os/qualify-packages.ts';
import { defaultAnalyzers } from './registry.ts';
import { mergeLayers } from './walker/merge.ts';
import { walkLayer } from './walker/walk-layer.ts';

/** The parts of the image config (`docker inspect` Config, history) a post-processor may need. */
export interface ImageConfig {
  architecture: string;
  os: string;
  config: { Env?: string[]; Labels?: Record<string, string> | null; Cmd?: string[] | null; Entrypoint?: string[] | null; [key: string]: unknown };
  history: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
  rootfs: { type: string; diff_ids: string[] };
}

export interface ScanProgress {
  /** Layer blobs fully analysed so far. */
  layersDone: number;
  /** Total layers, once the manifest has been read (real `docker save` streams write it last). */
  layersTotal: number | null;
  /** Bytes of the archive consumed so far. */
  bytesDone: number;
}

export interface PostProcessContext {
  config: ImageConfig;
  signal?: AbortSignal;
}

/** Runs after the inventory (vulnerability matching, config secrets…): returns the report to keep. */
export type ReportPostProcessor = (report: ScanReport, ctx: PostProcessContext) => ScanReport | Promise<ScanReport>;

export interface ScanOptions {
  /** Analyzers to run (default: `defaultAnalyzers({ categories })`). */
  analyzers?: Analyzer[];
  categories?: AnalyzerCategory[];
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  postProcessors?: ReportPostProcessor[];
  /** Tags to report when the archive names none (e.g. an image saved by ID). */
  tags?: string[];
}

/**
 * Scans a `docker save` stream (legacy or OCI layout). Rejects, and returns no report, if the
 * archive is truncated or corrupt, a layer is missing, or the scan is cancelled.
 */
export async function scanImage(archive: Readable, opts: ScanOptions = {}): Promise<ScanReport> {
  const analyzers = opts.analyzers ?? defaultAnalyzers(opts.categories ? { categories: opts.categories } : {});
  let blobIndex = 0;
  const image = await readImageArchive(archive, {
    // Blob order in the archive is not layer order; the real index and diffID are known only
    // at the end, so analyzers see the blob path as the layer's name while it streams.
    onLayer: (source, blobPath) =>
      walkLayer(source, { analyzers, layer: { diffId: blobPath, createdBy: null, index: blobIndex++ }, ...(opts.signal ? { signal: opts.signal } : {}) }),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const merged = mergeLayers(image.layers.map((l) => ({ ref: { diffId: l.diffId, createdBy: l.createdBy }, result: l.result })));
  const categories = opts.categories ? new Set(opts.categories) : null;
  let report: ScanReport = {
    image: {
      id: image.imageId,
      tags: image.tags.length > 0 ? image.tags : (opts.tags ?? []),
      os: merged.os,
      architecture: image.config.architecture,
      layers: image.layers.map((l) => ({ diffId: l.diffId, createdBy: l.createdBy, size: l.size })),
    },
    packages: sortPackages(qualifyOsPackages(merged.packages, merged.os)),
    ...(!categories || categories.has('sensitive') ? { sensitive: merged.sensitive } : {}),
    ...(!categories || categories.has('malware') ? { malware: merged.malware } : {}),
    notes: [...image.notes, ...merged.notes],
  };
  for (const post of opts.postProcessors ?? []) {
    opts.signal?.throwIfAborted();
    report = await post(report, { config: image.config, ...(opts.signal ? { signal: opts.signal } : {}) });
  }
  return report;
}

function sortPackages(packages: ScanReport['packages']): ScanReport['packages'] {
  return [...packages].sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || (a.paths[0] ?? '').localeCompare(b.paths[0] ?? ''));
}
