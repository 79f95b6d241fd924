/**
 * The documented "risk urgency" score of an image (README, API section). Points per finding:
 *   critical vulnerability with a fix ....... 10
 *   high vulnerability with a fix ............ 4
 *   known-malicious package (OSV MAL) ....... 25
 *   virus or trojan (any other engine) ...... 20
 *   critical or high secret still shipped .... 8
 * The sum is multiplied by 1.5 when the image has running containers. An image is high
 * priority when its score is at least HIGH_PRIORITY_THRESHOLD (one fixable critical, or any
 * malware, or a shipped high secret plus a fixable high). Vulnerabilities counted here get the
 * `suggested` tag; every vulnerability with a fixed version gets `fixable`.
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

const isFixable = (v: Vulnerability) => v.fixStatus === 'fixed' || v.fixedVersions.length > 0;
const isSuggested = (v: Vulnerability) => isFixable(v) && (v.severity === 'critical' || v.severity === 'high');

/** Returns the vulnerabilities with `fixable` / `suggested` tags set (other tags kept). */
export function tagVulnerabilities(vulns: Vulnerability[]): Vulnerability[] {
  return vulns.map((v) => {
    const tags = new Set(v.tags.filter((t) => t !== 'fixable' && t !== 'suggested'));
    if (isFixable(v)) tags.add('fixable');
    if (isSuggested(v)) tags.add('suggested');
    return { ...v, tags: [...tags] };
  });
}

export function computePriority(report: ScanReport, runningContainers: number): Priority {
  const vulns = report.vulnerabilities ?? [];
  const criticalFix = vulns.filter((v) => v.severity === 'critical' && isFixable(v)).length;
  const highFix = vulns.filter((v) => v.severity === 'high' && isFixable(v)).length;
  const malware = report.malware ?? [];
  const malicious = malware.filter((m) => m.engine === 'osv-malicious').length;
  const viruses = malware.length - malicious;
  const secrets = (report.sensitive ?? []).filter((s) => s.inFinalFilesystem && (s.severity === 'critical' || s.severity === 'high')).length;
  const parts: Array<[number, string]> = [
    [25 * malicious, `${malicious} known-malicious package(s)`],
    [20 * viruses, `${viruses} virus/trojan file(s)`],
    [10 * criticalFix, `${criticalFix} fixable critical vulnerabilit${criticalFix === 1 ? 'y' : 'ies'}`],
    [8 * secrets, `${secrets} critical/high secret(s)`],
    [4 * highFix, `${highFix} fixable high vulnerabilit${highFix === 1 ? 'y' : 'ies'}`],
  ];
  let score = parts.reduce((sum, [points]) => sum + points, 0);
  const reasons = parts.filter(([points]) => points > 0).map(([, why]) => why);
  if (score > 0 && runningContainers > 0) {
    score *= RUNNING_CONTAINER_FACTOR;
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
