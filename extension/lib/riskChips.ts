import type { ImageSummary, RiskCategory } from '@shipshape/shared';

/**
 * The five risk chips of a compact row: critical and high vulnerabilities, viruses, trojans,
 * sensitive items. A chip shows a count only when its category was checked: `unknown` before
 * any scan (or while scanning), `not_checked` when the last scan could not check it. Never a
 * reassuring 0 for something nobody looked at.
 */
export type ChipKey = 'critical' | 'high' | 'viruses' | 'trojans' | 'sensitive';
export type RiskChip = {
  key: ChipKey;
  /** One letter for the narrowest rows; `long` (singular for one) where there is room. */
  short: string;
  long: string;
  value: number | null;
  state: 'count' | 'unknown' | 'not_checked';
  /** What the chip says, in words (tooltip and accessible name). */
  title: string;
};

type ChipDef = { key: ChipKey; short: string; long: [one: string, many: string]; noun: string; category: RiskCategory; count(image: ImageSummary): number };
const chipDefs: ChipDef[] = [
  { key: 'critical', short: 'C', long: ['critical', 'critical'], noun: 'critical vulnerabilities', category: 'vulnerabilities', count: (i) => i.risks.vulnerabilities.critical },
  { key: 'high', short: 'H', long: ['high', 'high'], noun: 'high vulnerabilities', category: 'vulnerabilities', count: (i) => i.risks.vulnerabilities.high },
  { key: 'viruses', short: 'V', long: ['virus', 'viruses'], noun: 'viruses', category: 'malware', count: (i) => i.risks.viruses },
  { key: 'trojans', short: 'T', long: ['trojan', 'trojans'], noun: 'trojans', category: 'malware', count: (i) => i.risks.trojans },
  { key: 'sensitive', short: 'S', long: ['sensitive', 'sensitive'], noun: 'sensitive data items', category: 'sensitive', count: (i) => i.risks.sensitive },
];

/**
 * Whether a count of this category can be shown for the image: `unknown` before any scan and
 * while one runs, `not_checked` (with the reason) when the last scan could not check it.
 */
export function categoryState(image: ImageSummary, category: RiskCategory): { state: RiskChip['state']; reason: string | null } {
  const judged = image.lastScanned !== null && image.scanStatus !== 'scanning' && image.securityStatus !== 'unknown';
  if (!judged) return { state: 'unknown', reason: null };
  const gap = image.notChecked.find((n) => n.category === category);
  return gap ? { state: 'not_checked', reason: gap.reason } : { state: 'count', reason: null };
}

export function riskChips(image: ImageSummary): RiskChip[] {
  return chipDefs.map(({ key, short, long: [one, many], noun, category, count }) => {
    const { state, reason } = categoryState(image, category);
    if (state === 'unknown') return { key, short, long: many, value: null, state, title: `${noun}: not known until a scan` };
    if (state === 'not_checked') return { key, short, long: many, value: null, state, title: `${noun}: not checked (${reason})` };
    const value = count(image);
    return { key, short, long: value === 1 ? one : many, value, state: 'count', title: `${value} ${noun}` };
  });
}
