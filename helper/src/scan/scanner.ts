/**
 * The seam between the queue and the thing that actually scans one image. The queue only
 * knows this signature; `docker-scanner.ts` implements it with `docker save` + the analyzers
 * + the per-layer cache, and unit tests inject a fake.
 */
import type { CategoryPhase, LayerSourceUsed, RiskCategory, ScanReport } from '@shipshape/shared';

export interface ScanJobProgress {
  phase: CategoryPhase;
  layersDone: number;
  layersTotal: number;
  bytesDone: number;
  bytesTotal: number | null;
}

export interface ScanJob {
  imageId: string;
  categories: RiskCategory[];
  /** Aborted on cancel or timeout: the scanner must stop the export stream and the analyzers. */
  signal: AbortSignal;
  onProgress(progress: ScanJobProgress): void;
  /** How the layers are being read, as soon as that is decided (and why export, when in place was allowed). */
  onLayerSource?(source: LayerSourceUsed, note: string | null): void;
}

export interface ScanJobResult {
  report: ScanReport;
  /** Layers answered from the per-layer cache, and layers analysed now. */
  cachedLayers: number;
  analyzedLayers: number;
  /** True when every layer was cached, so `docker save` did not run. */
  dockerSaveSkipped: boolean;
  /** How the layers were read; absent from scanners that do not say (tests' fakes: export). */
  layerSource?: LayerSourceUsed;
  /** Why the layers were exported although in-place reading was allowed. */
  layerSourceNote?: string | null;
  /** A category that failed while others succeeded (an analyzer failed, clamd did not answer). */
  categoryErrors: Partial<Record<RiskCategory, string>>;
  /**
   * Why vulnerabilities were not matched (no vulnerability data yet): kept apart, because the
   * data may have arrived by the time the result is recorded, and then it is matched there.
   */
  matchError?: string;
  /** The engine the image was read from, when several could have been. */
  server?: string;
}

export type ImageScanner = (job: ScanJob) => Promise<ScanJobResult>;

/** What the queue needs to know about the host's images. */
export interface ImageCatalogEntry {
  id: string;
  name: string;
  runningContainers: number;
}
export interface ImageCatalog {
  list(): Promise<ImageCatalogEntry[]>;
  /** Full ID from a full or short ID; null when unknown. */
  resolve(idOrPrefix: string): Promise<ImageCatalogEntry | null>;
}
