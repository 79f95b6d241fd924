/** One place mapping `?format=` to a serializer and its content type. */
import type { ReportFormat, ScanReport } from '@shipshape/shared';
import { toCycloneDx } from './cyclonedx.ts';
import { toSarif, type SuppressedFindings } from './sarif.ts';
import { toSpdx } from './spdx.ts';

/** `ignored`: findings an ignore covers (left out of `report`); SARIF lists them as suppressed results. */
export function serializeReport(report: ScanReport, format: ReportFormat, version: string, ignored?: SuppressedFindings): { body: string; contentType: string } {
  switch (format) {
    case 'json':
      return { body: JSON.stringify(report, null, 2), contentType: 'application/json' };
    case 'sarif':
      return { body: toSarif(report, version, ignored), contentType: 'application/sarif+json' };
    case 'cyclonedx':
      return { body: toCycloneDx(report, version), contentType: 'application/vnd.cyclonedx+json' };
    case 'spdx':
      return { body: toSpdx(report, version), contentType: 'application/spdx+json' };
  }
}
