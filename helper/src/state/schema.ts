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

/** One engine's names for an image: tags and digests are per engine, the image ID is not. */
export const EngineRefs = z.object({ repoTags: z.array(z.string()), repoDigests: z.array(z.string()) });
export type EngineRefs = z.infer<typeof EngineRefs>;

export const ImageRecord = z.object({
  /** `repoTags`/`repoDigests` here are the union over the engines holding the image. */
  inventory: ImageInventory,
  scan: ImageScanState,
  firstSeen: z.string(),
  /**
   * The engines holding this image ID (its associated servers), by engine name, with their own
   * tags. Kept while an engine is offline (its last known images); the image is retired when
   * the last engine holding it no longer does. Empty only in a state written before engines
   * existed: the default engine adopts those at start.
   */
  engines: z.record(EngineRefs).default({}),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

export const RetiredImage = z.object({ scan: ImageScanState, retiredAt: z.string(), repoTags: z.array(z.string()) });
export type RetiredImage = z.infer<typeof RetiredImage>;

/** A browser origin allowed to call the API: `chrome-extension://<32 letters a-p>`. */
export const ExtensionOrigin = z.string().regex(/^chrome-extension:\/\/[a-p]{32}$/);

/**
 * An engine added at run time (POST /api/engines, `shipshape engines add`). TLS and SSH keys
 * stay files: only their paths are kept, and never sent to the extension.
 */
export const StoredEngine = z.object({
  name: z.string(),
  /** For a context: its endpoint when it was added (the context is read again at each start). */
  url: z.string(),
  tlsDir: z.string().nullable().default(null),
  keyFile: z.string().nullable().default(null),
  context: z.string().nullable().default(null),
  addedAt: z.string(),
});
export type StoredEngine = z.infer<typeof StoredEngine>;

export const EnginesState = z.object({
  added: z.array(StoredEngine).default([]),
  /** SSH host keys pinned at first contact, by `host:port` (SHA256 fingerprints). */
  sshHostKeys: z.record(z.string()).default({}),
});
export type EnginesState = z.infer<typeof EnginesState>;

export const State = z
  .object({
    version: z.literal(STATE_VERSION),
    images: z.record(ImageRecord).default({}),
    retired: z.record(RetiredImage).default({}),
    /** Origins of paired extensions (extension/PAIRING.md: a new pairing replaces the old one). */
    pairedOrigins: z.array(ExtensionOrigin).default([]),
    engines: EnginesState.default({}),
  })
  .passthrough();
export type State = z.infer<typeof State>;

export const emptyState = (): State => State.parse({ version: STATE_VERSION });
