import { z } from 'zod';
import { ImageListQuery } from './images.ts';
import { RiskCategory, riskCategories } from './report/index.ts';
import { ImageSelection } from './scans.ts';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour, local time)');

export const scheduleFrequencies = ['daily', '7d', '15d', '30d'] as const;

/** GET/PUT /api/settings/scheduled-scan. Times are the helper's local time. */
export const ScheduledScanSettings = z
  .object({
    enabled: z.boolean(),
    frequency: z.enum(scheduleFrequencies),
    startTime: clockTime,
    /** With an end time, work not finished in the window stops and resumes in the next window. */
    endTime: clockTime.nullable().optional(),
    categories: z.array(RiskCategory).min(1).default([...riskCategories]),
    images: ImageSelection.default('all'),
  })
  .strict();
export type ScheduledScanSettings = z.infer<typeof ScheduledScanSettings>;

export const scheduledRunOutcomes = ['running', 'paused', 'success', 'insufficient_license', 'no_images', 'error'] as const;
export const ScheduledRun = z.object({
  id: z.string(),
  /** The slot the run belongs to (when it was due). */
  scheduledFor: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** `paused` when the window closed with work left; it resumes in the next window. */
  outcome: z.enum(scheduledRunOutcomes),
  reason: z.string().nullable(),
  taskId: z.string().nullable(),
  /** True when this run caught up with a slot missed while the helper was down. */
  catchUp: z.boolean(),
  images: z.number().int(),
});
export type ScheduledRun = z.infer<typeof ScheduledRun>;

export const ScheduledScanState = z.object({
  settings: ScheduledScanSettings,
  nextRun: z.string().nullable(),
  runs: z.array(ScheduledRun),
});
export type ScheduledScanState = z.infer<typeof ScheduledScanState>;

/** Columns of the image list (popup, side panel, CSV/XLSX export). */
export const imageColumns = [
  'name',
  'id',
  'tags',
  'size',
  'created',
  'os',
  'architecture',
  'author',
  'layerCount',
  'containersRunning',
  'containersTotal',
  'scanStatus',
  'securityStatus',
  /** The categories the latest scan could not check, with the reason (why an image is `incomplete`). */
  'notChecked',
  'highPriority',
  'priorityScore',
  'critical',
  'high',
  'medium',
  'low',
  'unknown',
  'vulnerabilities',
  'viruses',
  'trojans',
  'sensitive',
  'lastScanned',
  'licensed',
  'servers',
] as const;
export const ImageColumn = z.enum(imageColumns);
export type ImageColumn = z.infer<typeof ImageColumn>;
export const defaultImageColumns: ImageColumn[] = ['name', 'size', 'created', 'scanStatus', 'securityStatus', 'critical', 'high', 'viruses', 'sensitive', 'lastScanned'];

/** GET/PUT /api/settings/columns: the list's visible columns, in order. */
export const ColumnsSettings = z.object({ columns: z.array(ImageColumn).min(1).max(imageColumns.length) }).strict();
export type ColumnsSettings = z.infer<typeof ColumnsSettings>;

/** GET/PUT /api/settings/scan: the queue. */
export const ScanEngineSettings = z
  .object({
    concurrency: z.number().int().min(1).max(8).default(1),
    imageTimeoutSeconds: z.number().int().min(1).max(86_400).default(3600),
  })
  .strict();
export type ScanEngineSettings = z.infer<typeof ScanEngineSettings>;

const csvList = <T extends z.ZodTypeAny>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).min(1));

/** GET /api/export: the image list's filters (or `ids=`), the columns, the format. */
export const ExportQuery = ImageListQuery.omit({ offset: true, limit: true })
  .extend({
    format: z.enum(['csv', 'xlsx']).default('csv'),
    /** Comma-separated; default: the saved list columns. */
    columns: csvList(ImageColumn).optional(),
    /** Comma-separated image IDs; when given, the other filters are ignored. */
    ids: csvList(z.string().regex(/^(sha256:)?[0-9a-f]{4,64}$/, 'must be image IDs')).optional(),
  })
  .strict();
export type ExportQuery = z.infer<typeof ExportQuery>;

/**
 * GET/PUT /api/settings/detection: what secret and malware scans add to the built-ins. ClamAV
 * .hdb/.hsb/.ndb files in `<data dir>/signatures/` are always read; they need no setting.
 */
export const DetectionSettings = z
  .object({
    /** A gitleaks-format TOML rule file on the helper's machine (absolute path), or null. */
    secretRulesFile: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^(\/|[A-Za-z]:[\\/])/, 'must be an absolute path')
      .nullable()
      .default(null),
    /** Rule ids (built-in or from the rule file) that never report. */
    disabledRules: z
      .array(z.string().min(1).max(200).regex(/^[\w.:-]+$/, 'must be rule ids (letters, digits, . _ : -)'))
      .max(1000)
      .default([]),
    /** clamd socket path or host:port; null: the built-in engine only. */
    clamd: z.string().min(1).max(4096).nullable().default(null),
    /** Files above this many MiB are not searched for secrets (default: the analyzer's own cap). */
    maxFileSizeMb: z.number().int().min(1).max(1024).optional(),
  })
  .strict();
export type DetectionSettings = z.infer<typeof DetectionSettings>;
