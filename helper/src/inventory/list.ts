/** Filtering, sorting and paging of GET /api/images (pure, over state records). */
import type { ImageListQuery, RiskCounts, RiskFilter } from '@shipshape/shared';
import type { ImageRecord } from '../state/schema.ts';

export function filterImages(records: ImageRecord[], query: ImageListQuery): ImageRecord[] {
  const q = query.q?.trim().toLowerCase();
  return records.filter((r) => {
    if (query.scanStatus && r.scan.scanStatus !== query.scanStatus) return false;
    if (query.securityStatus && r.scan.securityStatus !== query.securityStatus) return false;
    if (query.highPriority !== undefined && r.scan.highPriority !== query.highPriority) return false;
    if (query.server && !r.engines[query.server]) return false;
    if (q) {
      const id = r.inventory.id.toLowerCase();
      const inTags = r.inventory.repoTags.some((t) => t.toLowerCase().includes(q));
      if (!inTags && !id.includes(q) && !r.inventory.repoDigests.some((d) => d.toLowerCase().includes(q))) return false;
    }
    if (query.risk && riskCount(r.scan.risks, query.risk) === 0) return false;
    return true;
  });
}

/** How many findings of one kind the latest scan counted (vulnerabilities: every severity). */
export function riskCount(risks: RiskCounts, kind: RiskFilter): number {
  if (kind === 'vulnerabilities') return Object.values(risks.vulnerabilities).reduce((a, b) => a + b, 0);
  return risks[kind];
}

/**
 * Risk order: viruses and trojans first, then critical, high, sensitive items, medium, low,
 * unknown, each compared only when the previous ones tie.
 */
export function riskVector(risks: RiskCounts): number[] {
  const v = risks.vulnerabilities;
  return [risks.viruses + risks.trojans, v.critical, v.high, risks.sensitive, v.medium, v.low, v.unknown];
}

function compareVectors(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

const displayName = (r: ImageRecord) => r.inventory.repoTags[0] ?? '\uffff'; // untagged last in ascending order

export function sortImages(records: ImageRecord[], sort: ImageListQuery['sort'], order: ImageListQuery['order']): ImageRecord[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: ImageRecord, b: ImageRecord): number => {
    switch (sort) {
      case 'created':
        return a.inventory.created.localeCompare(b.inventory.created);
      case 'size':
        return a.inventory.size - b.inventory.size;
      case 'name':
        return displayName(a).localeCompare(displayName(b));
      case 'risk':
        return compareVectors(riskVector(a.scan.risks), riskVector(b.scan.risks));
      case 'lastScanned':
        return (a.scan.lastScanned ?? '').localeCompare(b.scan.lastScanned ?? '');
    }
  };
  // The ID breaks ties so that paging is stable.
  return [...records].sort((a, b) => sign * compare(a, b) || a.inventory.id.localeCompare(b.inventory.id));
}
