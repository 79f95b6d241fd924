/**
 * Every report format says which categories a scan could not check (no vulnerability data, a
 * clamd that did not answer, an analyzer that failed): a report without findings is no
 * "clean" verdict for those. One wording for SARIF, CycloneDX and SPDX.
 */
import type { NotChecked, ScanReport } from '@shipshape/shared';

export function notCheckedOf(report: ScanReport): NotChecked[] {
  return report.notChecked ?? [];
}

export function notCheckedText(n: NotChecked): string {
  return `${n.category} not checked: ${n.reason}`;
}
