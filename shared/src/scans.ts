import { z } from 'zod';
import { NotChecked } from './categories.ts';
import { DataUpdateTrigger, MirrorUrl } from './data-sources.ts';
import { IgnoreRule } from './ignores.ts';
import { ImageIdParam, RiskCounts, ScanStatus, Severity, HistoryStep, SecurityStatus } from './images.ts';
import {
  RiskCategory,
  riskCategories,
  SensitiveType,
  Vulnerability,
  SensitiveFinding,
  MalwareFinding,
  Package,
  LayerSourceUsed,
} from './report/index.ts';

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
const limit = z.coerce.number().int().min(1).max(500).default(100);
/** `critical,high` or a single value; unknown severities are rejected. */
const severityList = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
  .pipe(z.array(Severity).min(1));

export const ImageSelection = z.union([z.literal('all'), z.array(ImageIdParam).min(1).max(10_000)]);
export type ImageSelection = z.infer<typeof ImageSelection>;

/** POST /api/scans. "Scan again" and batch scans are the same call. */
export const CreateScanRequest = z
  .object({
    images: ImageSelection,
    categories: z.array(RiskCategory).min(1).default([...riskCategories]),
  })
  .strict();
export type CreateScanRequest = z.infer<typeof CreateScanRequest>;

/** Where one category of one image's scan is. */
export const categoryPhases = ['pending', 'exporting', 'analyzing', 'matching', 'done', 'failed', 'cancelled', 'skipped'] as const;
export const CategoryPhase = z.enum(categoryPhases);
export type CategoryPhase = z.infer<typeof CategoryPhase>;

export const CategoryProgress = z.object({
  phase: CategoryPhase,
  layersDone: z.number().int(),
  layersTotal: z.number().int(),
  bytesDone: z.number(),
  /** Uncompressed layer bytes when known from the image config; null otherwise. */
  bytesTotal: z.number().nullable(),
  /** A readable reason when this category failed. */
  error: z.string().nullable(),
});
export type CategoryProgress = z.infer<typeof CategoryProgress>;


/** An image's status inside a task: `queued` before it starts, `skipped` when not licensed. */
export const taskImageStatuses = ['queued', 'scanning', 'scanned', 'cancelled', 'scan_exception', 'skipped'] as const;
export const TaskImageStatus = z.enum(taskImageStatuses);
export type TaskImageStatus = z.infer<typeof TaskImageStatus>;

export const TaskImage = z.object({
  imageId: z.string(),
  name: z.string(),
  status: TaskImageStatus,
  /** Why it failed, was cancelled or skipped. */
  reason: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  categories: z.record(RiskCategory, CategoryProgress),
  /** Layers answered from the per-layer cache, and layers analysed in this scan. */
  cachedLayers: z.number().int(),
  analyzedLayers: z.number().int(),
  /** True when every layer was cached and `docker save` was not run. */
  dockerSaveSkipped: z.boolean(),
  /** How the layers were read (null until the scan knows): see `LayerSource`. */
  layerSource: LayerSourceUsed.nullable().default(null),
  /** Why the layers were exported although reading them in place was allowed (`auto`), e.g. no access to Docker's layer store. */
  layerSourceNote: z.string().nullable().default(null),
  reportId: z.string().nullable(),
  risks: RiskCounts.nullable(),
  atRisk: z.boolean().nullable(),
  /** The engine the image was read from (an image ID on several engines is scanned once). */
  server: z.string().nullable().default(null),
});
export type TaskImage = z.infer<typeof TaskImage>;

export const taskStates = ['queued', 'running', 'finished', 'cancelled'] as const;
export const TaskState = z.enum(taskStates);

export const ScanTask = z.object({
  id: z.string(),
  trigger: z.enum(['manual', 'scheduled']),
  state: TaskState,
  categories: z.array(RiskCategory),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  total: z.number().int(),
  done: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  skipped: z.number().int(),
  atRisk: z.number().int(),
  percent: z.number(),
  /** Estimated seconds left, from the pace so far; null before the first image ends. */
  etaSeconds: z.number().nullable(),
  images: z.array(TaskImage),
});
export type ScanTask = z.infer<typeof ScanTask>;

export const ScanTaskList = z.object({ items: z.array(ScanTask.omit({ images: true })) });
export type ScanTaskList = z.infer<typeof ScanTaskList>;

/** POST /api/scans/cancel: either some images (in any task) or a whole task. */
export const CancelScanRequest = z
  .object({ images: z.array(ImageIdParam).min(1).optional(), task: z.string().min(1).max(64).optional() })
  .strict()
  .refine((v) => (v.images ? 1 : 0) + (v.task ? 1 : 0) === 1, { message: 'give either images or task', path: ['images'] });
export type CancelScanRequest = z.infer<typeof CancelScanRequest>;
export const CancelScanResponse = z.object({ cancelled: z.number().int() });
export type CancelScanResponse = z.infer<typeof CancelScanResponse>;

/** One stored report, as the index knows it (the full report lives in its own file). */
export const ReportIndexEntry = z.object({
  id: z.string(),
  imageId: z.string(),
  taskId: z.string().nullable(),
  scannedAt: z.string(),
  categories: z.array(RiskCategory),
  risks: RiskCounts,
  securityStatus: SecurityStatus,
  /** Categories of this scan that could not be evaluated (a data update may fill them in later). */
  notChecked: z.array(NotChecked).default([]),
  priorityScore: z.number(),
  highPriority: z.boolean(),
  packages: z.number().int(),
  /** Set when a data update re-matched the stored inventory. */
  rematchedAt: z.string().nullable(),
});
export type ReportIndexEntry = z.infer<typeof ReportIndexEntry>;
export const ReportList = z.object({ items: z.array(ReportIndexEntry) });

/** Every finding list answers with the report it comes from (null before any scan). */
const findingList = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    imageId: z.string(),
    scanStatus: ScanStatus,
    reportId: z.string().nullable(),
    scannedAt: z.string().nullable(),
    total: z.number().int(),
    items: z.array(item),
    /** Findings an ignore covers (not in `items` nor in any count), each with that ignore. */
    ignored: z.array(z.object({ item, ignore: IgnoreRule })).default([]),
  });

export const VulnerabilityQuery = z
  .object({
    severity: severityList.optional(),
    /** Substring of the vulnerability ID (or alias), its summary, or the package name. */
    q: z.string().max(256).optional(),
    fixable: booleanQuery.optional(),
    /** Only findings CISA lists as known exploited (true), or only the others (false). */
    knownExploited: booleanQuery.optional(),
    /** Only findings with an EPSS score at least this high (0 to 1). */
    epssMin: z.coerce.number().min(0).max(1).optional(),
    /** `exploit`: known exploited first (newest addition first), then by EPSS, then by severity. */
    sort: z.enum(['severity', 'id', 'package', 'published', 'cvss', 'epss', 'exploit']).default('severity'),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset,
    limit,
  })
  .strict();
export type VulnerabilityQuery = z.infer<typeof VulnerabilityQuery>;

export const SensitiveQuery = z
  .object({
    severity: severityList.optional(),
    /** Substring of the rule name. */
    name: z.string().max(256).optional(),
    type: SensitiveType.optional(),
    offset,
    limit,
  })
  .strict();
export type SensitiveQuery = z.infer<typeof SensitiveQuery>;

export const MalwareQuery = z
  .object({
    severity: severityList.optional(),
    /** Substring of the file name or path. */
    q: z.string().max(256).optional(),
    offset,
    limit,
  })
  .strict();
export type MalwareQuery = z.infer<typeof MalwareQuery>;

export const PackageQuery = z
  .object({
    q: z.string().max(256).optional(),
    ecosystem: z.string().max(64).optional(),
    offset,
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();
export type PackageQuery = z.infer<typeof PackageQuery>;

export const ReportFormatQuery = z.object({ format: z.enum(['json', 'sarif', 'cyclonedx', 'spdx']).default('json') }).strict();
export type ReportFormat = z.infer<typeof ReportFormatQuery>['format'];

export const VulnerabilityList = findingList(Vulnerability);
export type VulnerabilityList = z.infer<typeof VulnerabilityList>;
export const SensitiveList = findingList(SensitiveFinding);
export type SensitiveList = z.infer<typeof SensitiveList>;
export const MalwareList = findingList(MalwareFinding);
export type MalwareList = z.infer<typeof MalwareList>;
export const PackageList = findingList(Package);
export type PackageList = z.infer<typeof PackageList>;

/** GET /api/images/:id/history: each build step, its layer size and the findings it introduced. */
export const HistoryStepFindings = HistoryStep.extend({
  introduced: z.object({
    packages: z.number().int(),
    vulnerabilities: z.number().int(),
    sensitive: z.number().int(),
    malware: z.number().int(),
  }),
});
export const HistoryList = findingList(HistoryStepFindings);
export type HistoryList = z.infer<typeof HistoryList>;

/** Data update: refresh inventory, update the vulnerability data, re-match stored inventories. */
export const dataUpdatePhases = ['inventory', 'vulndb', 'rematch'] as const;
/**
 * One source of a data update as the user sees it (`OSV npm`, `NVD`, `CISA KEV`, `EPSS`, or the
 * local file or folder): where it stands, and why it failed.
 */
export const DataSourceProgress = z.object({
  name: z.string(),
  phase: z.enum(['pending', 'downloading', 'importing', 'updated', 'unchanged', 'failed']),
  receivedBytes: z.number().optional(),
  totalBytes: z.number().nullable().optional(),
  records: z.number().int().nullable().optional(),
  error: z.string().nullable().optional(),
});
export type DataSourceProgress = z.infer<typeof DataSourceProgress>;
export const DataUpdateResult = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(['success', 'error']),
  reason: z.string().nullable(),
  /** Stored inventories re-matched, and images whose findings changed. */
  rematched: z.number().int(),
  changedImages: z.number().int(),
  vulnDb: z
    .object({
      advisories: z.number().int().nullable(),
      source: z.string().nullable(),
      /** Feeds that could not be updated and kept their previous data (e.g. `nvd:2024: cannot reach …`). */
      problems: z.array(z.string()).optional(),
    })
    .nullable(),
  /** Seconds spent in each phase (the benchmark reads the re-match time from here). */
  phaseSeconds: z.object({ inventory: z.number(), vulndb: z.number(), rematch: z.number() }).partial().default({}),
  /** How each source ended (absent in results stored before sources were reported; a failed one kept its previous records). */
  sources: z.array(DataSourceProgress).optional(),
  trigger: DataUpdateTrigger.default('manual'),
});
export type DataUpdateResult = z.infer<typeof DataUpdateResult>;
export const DataUpdateStatus = z.object({
  running: z.boolean(),
  phase: z.enum(dataUpdatePhases).nullable(),
  done: z.number().int(),
  total: z.number().int(),
  startedAt: z.string().nullable(),
  /** Each source's progress in the running update (the data phase). */
  sources: z.array(DataSourceProgress).optional(),
  lastResult: DataUpdateResult.nullable(),
  trigger: DataUpdateTrigger.nullable().default(null),
});
export type DataUpdateStatus = z.infer<typeof DataUpdateStatus>;
/**
 * POST /api/data-update. Default: the configured feed (the public OSV bucket, or the mirror of
 * the data-update settings). `mirror`: this update downloads from that OSV-layout base URL.
 * `source`: a local OSV/secdb/DSA file or folder, which must lie in an import folder
 * (`<data dir>/imports/` or one named with `serve --import-dir`); a file from the browser goes
 * through POST /api/data-update/import instead.
 */
export const DataUpdateRequest = z
  .object({ source: z.string().min(1).max(4096).optional(), mirror: MirrorUrl.optional() })
  .strict()
  .refine((v) => !(v.source && v.mirror), { message: 'give either source or mirror', path: ['mirror'] });
export type DataUpdateRequest = z.infer<typeof DataUpdateRequest>;
