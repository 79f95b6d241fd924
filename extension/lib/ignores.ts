/** Ignores for the drawer: what a finding's ignore targets, and how an ignore reads to a person. */
import type { IgnoreReason, IgnoreRule, IgnoreTarget, MalwareFinding, SensitiveFinding, VexJustification, Vulnerability } from '@shipshape/shared';

export type FindingKind = IgnoreTarget['kind'];
export type Finding = { kind: 'vulnerability'; item: Vulnerability } | { kind: 'secret'; item: SensitiveFinding } | { kind: 'malware'; item: MalwareFinding };

/** A vulnerability by ID (in its package only, or in any); a secret rule or malware signature at its path. */
export function targetOf(finding: Finding, onlyThisPackage: boolean): IgnoreTarget {
  switch (finding.kind) {
    case 'vulnerability':
      return { kind: 'vulnerability', id: finding.item.id, package: onlyThisPackage ? finding.item.package.purl : null };
    case 'secret':
      return { kind: 'secret', ruleId: finding.item.ruleId, path: finding.item.path };
    case 'malware':
      return { kind: 'malware', signature: finding.item.name, path: finding.item.path };
  }
}

export const reasonLabels: Record<IgnoreReason, string> = {
  not_affected: 'Not affected',
  accepted: 'Risk accepted',
  false_positive: 'False positive',
};

export const justificationLabels: Record<VexJustification, string> = {
  component_not_present: 'The component is not present',
  vulnerable_code_not_present: 'The vulnerable code is not present',
  vulnerable_code_not_in_execute_path: 'The vulnerable code is never run',
  vulnerable_code_cannot_be_controlled_by_adversary: 'An attacker cannot reach the vulnerable code',
  inline_mitigations_already_exist: 'Mitigations already exist',
};

/** "Not affected: the vulnerable code is never run", with the note. */
export function whyOf(rule: IgnoreRule): string {
  const reason = reasonLabels[rule.reason] + (rule.justification ? `: ${justificationLabels[rule.justification].toLowerCase()}` : '');
  return rule.note ? `${reason} (${rule.note})` : reason;
}

/** "until 2027-01-31" or "until removed"; the date is the first day it counts again (00:00 UTC). */
export function untilOf(rule: IgnoreRule): string {
  return rule.expiresAt ? `counts again on ${rule.expiresAt}` : 'until removed';
}

export function scopeOf(rule: IgnoreRule): string {
  return `${rule.image ? 'this image' : 'all images'} · set by ${rule.setBy === 'browser' ? 'the browser' : 'the CLI'}`;
}
