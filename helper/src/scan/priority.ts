/**
 * The documented "risk urgency" score of an image (README, API section). Points per finding:
 *   known-exploited vulnerability (CISA KEV) with a fix, any severity .. 10
 *   critical vulnerability with a fix .................................. 10
 *   high vulnerability with a fix ....................................... 4
 *   (a vulnerability's points × (1 + its EPSS score): 0.97 nearly doubles them)
 *   known-malicious package (OSV MAL) .................................. 25
 *   virus or trojan (any other engine) ................................. 20
 *   critical or high secret still shipped ............................... 8
 * The sum is multiplied by 1.5 when the image has running containers. An image is high
 * priority when its score is at least HIGH_PRIORITY_THRESHOLD (one known-exploited or fixable
 * critical vulnerability, or any malware, or a shipped high secret plus a fixable high).
 * Vulnerabilities counted here get the `suggested` tag; every vulnerability with a fixed
 * version gets `fixable`.
 */
import type { RiskCounts, ScanReport, Vulnerability } from '@shipshape/shared';

export const HIGH_PRIORITY_THRESHOLD = 10;
export const RUNNING_CONTAINER_FACTOR = 1.5;

export interface Priority {
  score: number;
  highPriority: boolean;
  /** Human-readable reasons, most important first. */
  reasons: string[];
}

export const KNOWN_EXPLOITED_POINTS = 10;
const SEVERITY_POINTS: Partial<Record<Vulnerability['severity'], number>> = { critical: 10, high: 4 };

const isFixable = (v: Vulnerability) => v.fixStatus === 'fixed' || v.fixedVersions.length > 0;

/** What one vulnerability adds to the score: nothing without a fix. */
export function vulnerabilityPoints(v: Vulnerability): number {
  if (!isFixable(v)) return 0;
  const base = Math.max(SEVERITY_POINTS[v.severity] ?? 0, v.knownExploited ? KNOWN_EXPLOITED_POINTS : 0);
  return base * (1 + (v.epss?.score ?? 0));
}

const isSuggested = (v: Vulnerability) => vulnerabilityPoints(v) > 0;

/**
 * Returns the vulnerabilities with `fixable` / `suggested` tags set (other tags kept); one
 * whose tags are already right is returned as it is (a re-match hands over thousands).
 */
export function tagVulnerabilities(vulns: Vulnerability[]): Vulnerability[] {
  return vulns.map(withPriorityTags);
}

/**
 * One vulnerability with its `fixable` / `suggested` tags set after its other tags (kept in
 * order, once each); the vulnerability itself when they already are, checked without building
 * anything: a data update's re-match passes a hundred thousand findings through here.
 */
export function withPriorityTags(v: Vulnerability): Vulnerability {
  const fixable = isFixable(v);
  const suggested = isSuggested(v);
  if (hasTags(v.tags, fixable, suggested)) return v;
  const tags = new Set(v.tags.filter((t) => t !== 'fixable' && t !== 'suggested'));
  if (fixable) tags.add('fixable');
  if (suggested) tags.add('suggested');
  return { ...v, tags: [...tags] };
}

/** Whether `tags` is already what withPriorityTags would make of it. */
function hasTags(tags: readonly string[], fixable: boolean, suggested: boolean): boolean {
  const others = tags.length - Number(fixable) - Number(suggested);
  if (others < 0) return false;
  for (let i = 0; i < others; i++) {
    const tag = tags[i];
    if (tag === 'fixable' || tag === 'suggested') return false;
    for (let j = 0; j < i; j++) if (tags[j] === tag) return false;
  }
  let at = others;
  if (fixable && tags[at++] !== 'fixable') return false;
  return !suggested || tags[at] === 'suggested';
}

export function computePriority(report: ScanReport, runningContainers: number): Priority {
  const vulns = report.vulnerabilities ?? [];
  const counted = vulns.filter(isSuggested);
  const exploited = counted.filter((v) => v.knownExploited);
  const criticalFix = counted.filter((v) => !v.knownExploited && v.severity === 'critical');
  const highFix = counted.filter((v) => !v.knownExploited && v.severity === 'high');
  const sum = (list: Vulnerability[]) => list.reduce((total, v) => total + vulnerabilityPoints(v), 0);
  const plural = (n: number) => (n === 1 ? 'y' : 'ies');
  const epssNote = (list: Vulnerability[]) => (list.some((v) => (v.epss?.score ?? 0) >= 0.1) ? ', likely to be exploited (EPSS)' : '');
  const malware = report.malware ?? [];
  const malicious = malware.filter((m) => m.engine === 'osv-malicious').length;
  const viruses = malware.length - malicious;
  const secrets = (report.sensitive ?? []).filter((s) => s.inFinalFilesystem && (s.severity === 'critical' || s.severity === 'high')).length;
  const parts: Array<[number, string]> = [
    [25 * malicious, `${malicious} known-malicious package(s)`],
    [sum(exploited), `${exploited.length} known-exploited vulnerabilit${plural(exploited.length)} with a fix (${[...new Set(exploited.map((v) => v.knownExploited!.cve))].slice(0, 3).join(', ')})`],
    [20 * viruses, `${viruses} virus/trojan file(s)`],
    [sum(criticalFix), `${criticalFix.length} fixable critical vulnerabilit${plural(criticalFix.length)}${epssNote(criticalFix)}`],
    [8 * secrets, `${secrets} critical/high secret(s)`],
    [sum(highFix), `${highFix.length} fixable high vulnerabilit${plural(highFix.length)}${epssNote(highFix)}`],
  ];
  let score = Math.round(parts.reduce((total, [points]) => total + points, 0) * 100) / 100;
  const reasons = parts.filter(([points]) => points > 0).map(([, why]) => why);
  if (score > 0 && runningContainers > 0) {
    score = Math.round(score * RUNNING_CONTAINER_FACTOR * 100) / 100;
    reasons.push(`${runningContainers} running container(s)`);
  }
  return { score, highPriority: score >= HIGH_PRIORITY_THRESHOLD, reasons };
}

export function countRisks(report: ScanReport): RiskCounts {
  const vulnerabilities = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const v of report.vulnerabilities ?? []) vulnerabilities[v.severity] += 1;
  const malware = report.malware ?? [];
  return {
    vulnerabilities,
    viruses: malware.filter((m) => m.type === 'virus').length,
    trojans: malware.filter((m) => m.type === 'trojan').length,
    sensitive: (report.sensitive ?? []).length,
  };
}

export function hasRisk(risks: RiskCounts): boolean {
  const v = risks.vulnerabilities;
  return v.critical + v.high + v.medium + v.low + v.unknown + risks.viruses + risks.trojans + risks.sensitive > 0;
}
