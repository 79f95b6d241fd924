/**
 * What the scan engine needs from the helper's lowdb state (helper/src/state/store.ts's
 * StateStore has this shape). Typed structurally so the engine can be tested with a plain
 * in-memory object.
 */
import type { HistoryStep, NotChecked, ReportIndexEntry, RiskCounts, ScanStatus, SecurityStatus } from '@shipshape/shared';

export interface ImageScanFields {
  scanStatus: ScanStatus;
  securityStatus: SecurityStatus;
  /** Categories the latest report could not evaluate (absent in state written before they were kept). */
  notChecked?: NotChecked[];
  risks: RiskCounts;
  lastScanned: string | null;
  highPriority: boolean;
  priorityScore: number;
  distro: { family: string; version: string } | null;
  /** Newest first; the last few reports of this image (the files live in reports/). */
  reports?: ReportIndexEntry[];
  [key: string]: unknown;
}

export interface ImageRecordLike {
  inventory: { id: string; repoTags: string[]; diffIds: string[]; history: HistoryStep[]; repoDigests?: string[] };
  scan: ImageScanFields;
}

export interface StateHost {
  readonly state: object;
  images(): ImageRecordLike[];
  image(id: string): ImageRecordLike | undefined;
  updateScan(id: string, patch: Partial<ImageScanFields>): unknown;
  update(mutate: (state: Record<string, unknown>) => void): void;
  /** Resolves once the changes made so far are on disk, or a write failed (absent in memory-only hosts). */
  persisted?(): Promise<void>;
  /** Set while the state cannot be written (e.g. disk full). */
  readonly lastWriteError?: Error | null;
}
