/**
 * Categories a scan asked for but could not fully evaluate, read from its report: a clamd
 * that did not answer (its verdicts are missing: malware), an analyzer that failed (its
 * category: packages and OS feed vulnerabilities). Each becomes a `notChecked` entry, so the
 * image is `incomplete`, never `safe`, until a scan gets through.
 */
import type { RiskCategory, ScanReport } from '@shipshape/shared';
import { failedAnalyzers, type AnalyzerCategory } from '@shipshape/analyzers';

const RISK_OF: Record<AnalyzerCategory, RiskCategory> = { os: 'vulnerabilities', packages: 'vulnerabilities', sensitive: 'sensitive', malware: 'malware' };
/** The ClamAV analyzer's note when clamd stopped answering (clamav-analyzer.ts). */
const CLAMD_DOWN = /^ClamAV: (.*); no ClamAV verdicts for the rest of this scan \(clamd at (.*)\)$/;

const short = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function categoryGaps(report: ScanReport, analyzers: ReadonlyArray<{ name: string; category: AnalyzerCategory }>, categories: readonly RiskCategory[]): Partial<Record<RiskCategory, string>> {
  const gaps: Partial<Record<RiskCategory, string>> = {};
  const add = (category: RiskCategory, reason: string) => {
    if (!categories.includes(category)) return;
    gaps[category] = gaps[category] ? `${gaps[category]}; ${reason}` : reason;
  };
  const down = report.notes.map((n) => CLAMD_DOWN.exec(n)).find((m) => m !== null);
  if (down) add('malware', short(`clamd at ${down[2]} did not answer (${down[1]}): only the built-in engine checked the files; start clamd and scan again`));
  const failed = failedAnalyzers(report.notes, analyzers);
  const byCategory = new Map<RiskCategory, typeof failed>();
  for (const f of failed) byCategory.set(RISK_OF[f.category], [...(byCategory.get(RISK_OF[f.category]) ?? []), f]);
  for (const [category, list] of byCategory) {
    const names = [...new Set(list.map((f) => f.name))].join(', ');
    add(category, short(`analyzer ${names} failed ${list.length === 1 ? 'once' : `${list.length} times`} (${list[0]!.note}): scan again; if it persists, report it`));
  }
  return gaps;
}
