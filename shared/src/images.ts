import { z } from 'zod';
import { NotChecked } from './categories.ts';

export const scanStatuses = ['not_scanned', 'scanning', 'scanned', 'cancelled', 'scan_exception'] as const;
export const ScanStatus = z.enum(scanStatuses);
export type ScanStatus = z.infer<typeof ScanStatus>;

/**
 * `unknown` before a scan; `at_risk` when the latest report has a finding; `incomplete` when it
 * has none but some category asked for could not be evaluated (see `notChecked`); `safe` only
 * when every category asked for was checked and found nothing.
 */
export const securityStatuses = ['unknown', 'safe', 'at_risk', 'incomplete'] as const;
export const SecurityStatus = z.enum(securityStatuses);
export type SecurityStatus = z.infer<typeof SecurityStatus>;

export const severities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;

export const VulnerabilityCounts = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  unknown: z.number().int(),
});
export type VulnerabilityCounts = z.infer<typeof VulnerabilityCounts>;

export const RiskCounts = z.object({
  vulnerabilities: VulnerabilityCounts,
  viruses: z.number().int(),
  trojans: z.number().int(),
  sensitive: z.number().int(),
});
export type RiskCounts = z.infer<typeof RiskCounts>;

export const HistoryStep = z.object({
  created: z.string().nullable(),
  createdBy: z.string(),
  size: z.number(),
  comment: z.string(),
  emptyLayer: z.boolean(),
  /** diffID of the layer this step produced; null for steps that change only metadata. */
  diffId: z.string().nullable(),
});
export type HistoryStep = z.infer<typeof HistoryStep>;

export const ContainerCounts = z.object({ running: z.number().int(), total: z.number().int() });

export const ImageSummary = z.object({
  id: z.string(),
  shortId: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  /** First tag, or `<none>:<none>` for an untagged image. */
  name: z.string(),
  size: z.number(),
  created: z.string(),
  os: z.string(),
  architecture: z.string(),
  author: z.string(),
  layerCount: z.number().int(),
  containers: ContainerCounts,
  lastScanned: z.string().nullable(),
  scanStatus: ScanStatus,
  /** Why the last scan ended `scan_exception` or `cancelled` (e.g. "interrupted"); null otherwise. */
  scanError: z.string().nullable().default(null),
  securityStatus: SecurityStatus,
  /** Categories the latest scan could not evaluate, with the reason (empty when all were checked). */
  notChecked: z.array(NotChecked).default([]),
  risks: RiskCounts,
  highPriority: z.boolean(),
  priorityScore: z.number(),
  /** The engine holding the image (the first of `servers`: kept for clients of one engine). */
  serverId: z.string(),
  /** Every engine holding this image ID (its associated servers), by name. */
  servers: z.array(z.string()).default([]),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const ImageDetail = ImageSummary.extend({
  /** OS distribution detected by a scan (family and version), when known. */
  distro: z.object({ family: z.string(), version: z.string() }).nullable(),
  history: z.array(HistoryStep),
  diffIds: z.array(z.string()),
  env: z.array(z.string()),
  labels: z.record(z.string()),
});
export type ImageDetail = z.infer<typeof ImageDetail>;

export const imageSortKeys = ['created', 'size', 'name', 'lastScanned', 'risk'] as const;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `risk=` of GET /api/images: only images whose latest scan found that kind of risk. */
export const riskFilters = ['vulnerabilities', 'viruses', 'trojans', 'sensitive'] as const;
export const RiskFilter = z.enum(riskFilters);
export type RiskFilter = z.infer<typeof RiskFilter>;

/** Query of GET /api/images. Unknown values are rejected (400 names the field). */
export const ImageListQuery = z
  .object({
    scanStatus: ScanStatus.optional(),
    securityStatus: SecurityStatus.optional(),
    highPriority: booleanQuery.optional(),
    q: z.string().max(256).optional(),
    /** Only images this engine holds (an engine name). */
    server: z.string().max(63).optional(),
    sort: z.enum(imageSortKeys).default('created'),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    risk: RiskFilter.optional(),
  })
  .strict();
export type ImageListQuery = z.infer<typeof ImageListQuery>;

export const ImageList = z.object({ total: z.number().int(), items: z.array(ImageSummary) });
export type ImageList = z.infer<typeof ImageList>;

/** Full 64-hex ID (with or without `sha256:`), or a unique prefix of at least 4 hex characters. */
export const ImageIdParam = z
  .string()
  .regex(/^(sha256:)?[0-9a-f]{4,64}$/, 'must be an image ID: 4 to 64 hex characters, optionally prefixed by sha256:');

export const ContainerState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
export const ContainerSummary = z.object({
  id: z.string(),
  name: z.string(),
  imageId: z.string(),
  state: z.string(),
  status: z.string(),
  command: z.string(),
  created: z.string(),
  lastStateChange: z.string().nullable(),
  /** The engine this container runs on (engine name; containers are per engine, images are shared). */
  serverId: z.string(),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerListQuery = z
  .object({
    status: ContainerState.optional(),
    q: z.string().max(256).optional(),
  })
  .strict();
export type ContainerListQuery = z.infer<typeof ContainerListQuery>;

/** GET /api/images/:id/containers. */
export const ContainerList = z.object({ total: z.number().int(), items: z.array(ContainerSummary) });
export type ContainerList = z.infer<typeof ContainerList>;
