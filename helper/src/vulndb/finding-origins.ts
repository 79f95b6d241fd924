/**
 * Where each finding of a matched report came from: the matcher works each distinct package's
 * findings out once (the canonical finding) and gives every report naming the package a copy
 * that differs only in its `layer`. A re-match's report writer (scan/rematch/report-writer.ts)
 * sends each canonical finding to its thread once and then only which one and which layer,
 * instead of encoding a hundred copies on the API's thread.
 *
 * Kept under a hidden symbol on the matched report object: JSON, structured clones, spreads and
 * equality checks leave it out, and the findings themselves keep their shape (a property on
 * each copy would give them new hidden classes: slower sorting and verdicts).
 */
import type { Vulnerability } from '@shipshape/shared';

const FINDING_ORIGINS = Symbol('shipshape.findingOrigins');

/** Each finding of a report mapped to the canonical finding it equals, its `layer` aside. */
export type FindingOrigins = Map<Vulnerability, Vulnerability>;

export function withFindingOrigins<R extends object>(report: R, origins: FindingOrigins): R {
  Object.defineProperty(report, FINDING_ORIGINS, { value: origins, enumerable: false, configurable: true, writable: false });
  return report;
}

/** The origins the matcher recorded for this matched report, if any. */
export function findingOriginsOf(report: object): FindingOrigins | undefined {
  return (report as { [FINDING_ORIGINS]?: FindingOrigins })[FINDING_ORIGINS];
}
