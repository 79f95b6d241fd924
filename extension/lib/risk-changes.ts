import { riskDelta, type HostRiskSnapshot, type RiskDeltaKey } from '@shipshape/shared';

const names: Record<RiskDeltaKey, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  malware: 'malware',
  sensitive: 'sensitive',
  knownExploited: 'known exploited',
  imagesAtRisk: 'images at risk',
};

export type RiskChange = { key: RiskDeltaKey; change: number; text: string };

/** "+3 critical", "−1 sensitive" (a true minus sign), worst kinds first. */
export function riskChanges(previous: HostRiskSnapshot | null, latest: HostRiskSnapshot | null): RiskChange[] | null {
  if (!previous || !latest) return null;
  return Object.entries(riskDelta(previous, latest)).map(([key, change]) => ({
    key: key as RiskDeltaKey,
    change: change!,
    text: `${change! > 0 ? '+' : '\u2212'}${Math.abs(change!)} ${names[key as RiskDeltaKey]}`,
  }));
}
