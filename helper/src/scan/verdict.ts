/**
 * The one place an image's counts, security status and priority come from: its latest report,
 * the ignores (those in force at `now`), the categories the scan could not check and its
 * running containers. The recorder (new scans and data-update re-matches) and the ignore
 * service (an ignore added, removed or expired) both call this, so they cannot disagree.
 */
import type { IgnoreRule, NotChecked, RiskCounts, ScanReport, SecurityStatus } from '@shipshape/shared';
import { inForce, splitReport, type ImageIdentity, type SplitReport } from '../ignores/match.ts';
import { computePriority, countRisks, hasRisk, type Priority } from './priority.ts';

export interface VerdictInput {
  report: ScanReport;
  image: ImageIdentity;
  /** Every ignore; those for other images or expired at `now` are left out here. */
  ignores: readonly IgnoreRule[];
  notChecked: readonly NotChecked[];
  runningContainers: number;
  now: Date;
}

export interface Verdict {
  risks: RiskCounts;
  securityStatus: SecurityStatus;
  priority: Priority;
  split: SplitReport;
}

/** No finding is not "safe" unless every category asked for was evaluated. */
export function securityStatusOf(atRisk: boolean, notChecked: readonly NotChecked[]): SecurityStatus {
  if (atRisk) return 'at_risk';
  return notChecked.length > 0 ? 'incomplete' : 'safe';
}

export function deriveVerdict(input: VerdictInput): Verdict {
  const split = splitReport(input.report, inForce(input.ignores, input.image, input.now));
  const risks = countRisks(split.active);
  return {
    risks,
    securityStatus: securityStatusOf(hasRisk(risks), input.notChecked),
    priority: computePriority(split.active, input.runningContainers),
    split,
  };
}
