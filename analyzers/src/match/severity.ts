/**
 * One severity per finding, from the best evidence the record has: a CVSS vector
 * (newest version first, record-level then the package entry's), else GHSA's reviewed
 * `database_specific.severity` (both: source `advisory`), else a distro's own rating: Debian's
 * urgency, Ubuntu's priority (source `distro`), else unknown (source `none`; the CVE's NVD
 * score may still rate it, see cve-facts.ts).
 */
import type { Severity, SeveritySource } from '@shipshape/shared';
import { cvssBaseScore, type CvssScore } from './cvss.ts';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv.ts';

export interface SeverityResult {
  severity: Severity;
  source: SeveritySource;
  cvss: { score: number | null; vector: string | null };
}

/** CVSS qualitative rating scale (FIRST, v3.x and v4.0). 0.0 ("none") reads as low. */
export function levelFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

const typePreference = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2'];

function bestCvss(severities: OsvSeverity[] | undefined): CvssScore | null {
  if (!Array.isArray(severities)) return null;
  const sorted = [...severities].sort((a, b) => rank(a.type) - rank(b.type));
  for (const entry of sorted) {
    if (typeof entry?.score !== 'string') continue;
    const scored = cvssBaseScore(entry.score);
    if (scored) return scored;
  }
  return null;
}
const rank = (type: string) => {
  const i = typePreference.indexOf(type);
  return i === -1 ? typePreference.length : i;
};

const ghsaLevels: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

/** Debian security tracker urgencies (`unimportant`, `low`, `medium`, `high`, `not yet assigned`, `end-of-life`). */
const urgencyLevels: Record<string, Severity> = { unimportant: 'low', low: 'low', medium: 'medium', high: 'high' };

/** Ubuntu's CVE priorities, which OSV's Ubuntu records carry as `severity: [{ type: 'Ubuntu', score }]`. */
const ubuntuPriorities: Record<string, Severity> = { negligible: 'low', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

function textLevel(value: unknown, table: Record<string, Severity>): Severity | null {
  if (typeof value !== 'string') return null;
  return table[value.replace(/\*+$/, '').trim()] ?? table[value.trim().toLowerCase()] ?? null;
}

export function severityOf(record: OsvRecord, entries: OsvAffected[] = []): SeverityResult {
  const cvss = bestCvss(record.severity) ?? entries.map((e) => bestCvss(e.severity)).find((s) => s !== null) ?? null;
  if (cvss) return { severity: levelFromScore(cvss.score), source: 'advisory', cvss: { score: cvss.score, vector: cvss.vector } };

  const all = [...(record.severity ?? []), ...entries.flatMap((e) => e.severity ?? [])];
  const vectorOnly = all.find((s) => typeof s?.score === 'string' && s.type !== 'Ubuntu');
  const cvssField = { score: null, vector: vectorOnly?.score ?? null };

  const ghsa = textLevel(record.database_specific?.severity, ghsaLevels);
  if (ghsa) return { severity: ghsa, source: 'advisory', cvss: cvssField };

  for (const entry of entries) {
    const urgency =
      textLevel(entry.ecosystem_specific?.urgency, urgencyLevels) ?? textLevel(entry.database_specific?.urgency, urgencyLevels);
    if (urgency) return { severity: urgency, source: 'distro', cvss: cvssField };
  }
  const ubuntu = all.find((s) => s?.type === 'Ubuntu');
  const priority = textLevel(ubuntu?.score, ubuntuPriorities);
  if (priority) return { severity: priority, source: 'distro', cvss: cvssField };
  return { severity: 'unknown', source: 'none', cvss: cvssField };
}
