/** What the risk history keeps of a recorded report (per image) and of the host (totals now). */
import type { HostRiskSnapshot, ImageRiskPoint, ReportIndexEntry } from '@shipshape/shared';
import type { ImageRecord } from '../state/schema.ts';

export function riskPoint(entry: ReportIndexEntry, knownExploited: number, kind: ImageRiskPoint['kind'], at: string): ImageRiskPoint {
  const v = entry.risks.vulnerabilities;
  return {
    at,
    kind,
    critical: v.critical,
    high: v.high,
    medium: v.medium,
    low: v.low,
    unknown: v.unknown,
    malware: entry.risks.viruses + entry.risks.trojans,
    sensitive: entry.risks.sensitive,
    knownExploited,
    priorityScore: entry.priorityScore,
    highPriority: entry.highPriority,
  };
}

/** Totals over the images on the host now; known-exploited counts come from each image's latest point. */
export function hostSnapshot(records: ImageRecord[], knownExploited: (imageId: string) => number, at: Date): HostRiskSnapshot {
  const snapshot: HostRiskSnapshot = {
    at: at.toISOString(),
    images: records.length,
    imagesAtRisk: 0,
    highPriority: 0,
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
    malware: 0,
    sensitive: 0,
    knownExploited: 0,
  };
  for (const { inventory, scan } of records) {
    if (scan.securityStatus === 'at_risk') snapshot.imagesAtRisk++;
    if (scan.highPriority) snapshot.highPriority++;
    for (const severity of ['critical', 'high', 'medium', 'low', 'unknown'] as const) snapshot[severity] += scan.risks.vulnerabilities[severity];
    snapshot.malware += scan.risks.viruses + scan.risks.trojans;
    snapshot.sensitive += scan.risks.sensitive;
    if (scan.lastScanned) snapshot.knownExploited += knownExploited(inventory.id);
  }
  return snapshot;
}
