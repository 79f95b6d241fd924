/**
 * The scan orchestrator: one pass over a `docker save` stream. Each layer is walked as it
 * streams by, the analyzers run on the files they asked for, and at the end the layers are
 * ordered from the manifest and merged (whiteouts applied) into one report.
 */
import type { Readable } from 'node:stream';
import type { ScanReport } from '@shipshape/shared';
import type { Analyzer, AnalyzerCategory } from './analyzer.ts';

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

export async function scanImage(_archive: Readable, _opts: ScanOptions = {}): Promise<ScanReport> {
  throw new Error('scanImage: not implemented yet');
}
