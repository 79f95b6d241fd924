/**
 * The shape of state.json (versioned, validated with zod on every read). Image records are
 * keyed by image ID and split in two: `inventory` (what Docker says; replaced on every
 * refresh) and `scan` (what Shipshape found; kept while the image exists, and moved to
 * `retired` when the image leaves Docker so it comes back with the image).
 * Modules that need more state add keys here (the root passes unknown keys through, so an
 * older helper never drops a newer module's data).
 */
import { z } from 'zod';
import { HistoryStep, NotChecked, RiskCounts, ScanStatus, SecurityStatus } from '@shipshape/shared';

export const STATE_VERSION = 1;

export const ImageInventory = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  size: z.number(),
  created: z.string(),
  os: z.string(),
  architecture: z.string(),
  author: z.string(),
  layerCount: z.number().int(),
  history: z.array(HistoryStep),
  diffIds: z.array(z.string()),
  env: z.array(z.string()),
  labels: z.record(z.string()),
});
export type ImageInventory = z.infer<typeof ImageInventory>;

export const zeroRisks = (): RiskCounts => ({
  vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
  viruses: 0,
  trojans: 0,
  sensitive: 0,
});

/** Scan-side fields of one image. The scan engine extends this object (passthrough keeps its keys). */
export const ImageScanState = z
  .object({
    scanStatus: ScanStatus.default('not_scanned'),
    securityStatus: SecurityStatus.default('unknown'),
    notChecked: z.array(NotChecked).default([]),
    risks: RiskCounts.default(zeroRisks),
    lastScanned: z.string().nullable().default(null),
    /** Why the last scan did not finish (scan_exception / cancelled); cleared by a successful scan. */
    scanReason: z.string().nullable().default(null),
    highPriority: z.boolean().default(false),
    priorityScore: z.number().default(0),
    distro: z.object({ family: z.string(), version: z.string() }).nullable().default(null),
  })
  .passthrough();
export type ImageScanState = z.infer<typeof ImageScanState>;

export const newScanState = (): ImageScanState => ImageScanState.parse({});

export const ImageRecord = z.object({
  inventory: ImageInventory,
  scan: ImageScanState,
  firstSeen: z.string(),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

export const RetiredImage = z.object({ scan: ImageScanState, retiredAt: z.string(), repoTags: z.array(z.string()) });
export type RetiredImage = z.infer<typeof RetiredImage>;

/** A browser origin allowed to call the API: `chrome-extension://<32 letters a-p>`. */
export const ExtensionOrigin = z.string().regex(/^chrome-extension:\/\/[a-p]{32}$/);

export const State = z
  .object({
    version: z.literal(STATE_VERSION),
    images: z.record(ImageRecord).default({}),
    retired: z.record(RetiredImage).default({}),
    /** Origins of paired extensions (extension/PAIRING.md: a new pairing replaces the old one). */
    pairedOrigins: z.array(ExtensionOrigin).default([]),
  })
  .passthrough();
export type State = z.infer<typeof State>;

export const emptyState = (): State => State.parse({ version: STATE_VERSION });
