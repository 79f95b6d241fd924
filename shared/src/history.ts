import { z } from 'zod';

/**
 * Risk over time. Per image: the counts of each scan (and of each data update that changed
 * them), the last 100. Per host: one row per day with the totals at the end of that day's last
 * scan or data update, and the two latest snapshots for "what changed since the last scan".
 */
export const RiskPointCounts = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  unknown: z.number().int(),
  /** Viruses and trojans. */
  malware: z.number().int(),
  sensitive: z.number().int(),
  /** Findings CISA lists as known exploited. */
  knownExploited: z.number().int(),
});
export type RiskPointCounts = z.infer<typeof RiskPointCounts>;

export const ImageRiskPoint = RiskPointCounts.extend({
  at: z.string(),
  /** `scan`: a scan finished; `rematch`: a data update changed the findings of the stored inventory. */
  kind: z.enum(['scan', 'rematch']),
  priorityScore: z.number(),
  highPriority: z.boolean(),
});
export type ImageRiskPoint = z.infer<typeof ImageRiskPoint>;

/** GET /api/images/:id/risk-history: oldest first. */
export const ImageRiskHistory = z.object({ imageId: z.string(), items: z.array(ImageRiskPoint) });
export type ImageRiskHistory = z.infer<typeof ImageRiskHistory>;

export const HostRiskSnapshot = RiskPointCounts.extend({
  at: z.string(),
  images: z.number().int(),
  imagesAtRisk: z.number().int(),
  highPriority: z.number().int(),
});
export type HostRiskSnapshot = z.infer<typeof HostRiskSnapshot>;

/** One day of the host: its last snapshot that day (local time of the helper). */
export const HostRiskDay = HostRiskSnapshot.extend({ day: z.string() });
export type HostRiskDay = z.infer<typeof HostRiskDay>;

export const RiskHistoryQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();
export type RiskHistoryQuery = z.infer<typeof RiskHistoryQuery>;

/**
 * GET /api/risk-history?days=30: the days that have data in the window (oldest first), and the
 * change between the two latest snapshots (null before the second one).
 */
export const HostRiskHistory = z.object({
  days: z.array(HostRiskDay),
  latest: HostRiskSnapshot.nullable(),
  previous: HostRiskSnapshot.nullable(),
});
export type HostRiskHistory = z.infer<typeof HostRiskHistory>;

export const riskDeltaKeys = ['critical', 'high', 'medium', 'low', 'malware', 'sensitive', 'knownExploited', 'imagesAtRisk'] as const;
export type RiskDeltaKey = (typeof riskDeltaKeys)[number];

/** What changed between two snapshots, only the counts that moved: { critical: 3, sensitive: -1 }. */
export function riskDelta(previous: HostRiskSnapshot, latest: HostRiskSnapshot): Partial<Record<RiskDeltaKey, number>> {
  const delta: Partial<Record<RiskDeltaKey, number>> = {};
  for (const key of riskDeltaKeys) {
    const change = latest[key] - previous[key];
    if (change !== 0) delta[key] = change;
  }
  return delta;
}
