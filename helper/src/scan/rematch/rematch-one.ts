/**
 * The re-match of one image's stored report against new vulnerability data, as a data update
 * runs it: read the report, match its inventory, and when the findings or the gaps changed,
 * write the report back (same id) with its new verdict. Nothing here touches the state: the
 * outcome says what to put there, so this runs the same in the helper's thread and in a worker.
 */
import type { IgnoreRule, NotChecked, ReportIndexEntry, ScanReport, ServerEvent } from '@shipshape/shared';
import { isCoverageGap } from '../../vulndb/coverage.ts';
import { isMissingDataReason } from '../missing-data.ts';
import { newlyExploited } from '../newly-exploited.ts';
import { prepareRecord, type RecordedVerdict } from '../recorder.ts';

/** One image to re-match: its latest report's index entry and what its verdict depends on. */
export interface RematchTarget {
  imageId: string;
  entry: ReportIndexEntry;
  repoDigests: string[];
  runningContainers: number;
}

export type ExploitedFinding = Extract<ServerEvent, { type: 'risk.known_exploited' }>['findings'][number];

export type RematchOutcome =
  /** No stored report to re-match (its file is gone or unreadable). */
  | { kind: 'skipped'; imageId: string }
  /** Same findings and gaps as before: the report file is left alone. */
  | { kind: 'unchanged'; imageId: string; entryId: string }
  /** The report file was rewritten (same id) with this verdict. */
  | { kind: 'changed'; imageId: string; entryId: string; verdict: RecordedVerdict; exploited: ExploitedFinding[] };

/** What a re-match reads, matches with and writes to. */
export interface RematchContext {
  load(reportId: string): Promise<ScanReport | null>;
  match(report: ScanReport): ScanReport | Promise<ScanReport>;
  /** Why some of a re-matched report's packages could not be judged (the data lacks their ecosystem); null when all could. */
  gap?(report: ScanReport): string | null;
  /** `from`: the stored report it was re-matched from, and the matcher's result it was made of. */
  save(report: ScanReport, id: string, from: { stored: ScanReport; matched: ScanReport }): Promise<unknown>;
  /** Every ignore rule, and the time that decides which have expired. */
  ignores: readonly IgnoreRule[];
  now: Date;
}

/** One image's re-match, worked out: its outcome, and the report write it needs (none when unchanged). */
export interface RematchStep {
  outcome: RematchOutcome;
  write: (() => Promise<unknown>) | null;
}

export async function rematchOne(target: RematchTarget, context: RematchContext): Promise<RematchStep> {
  const { entry, imageId } = target;
  const report = await context.load(entry.id);
  if (!report) return { outcome: { kind: 'skipped', imageId }, write: null };
  const matched = await context.match(report);
  // The data is here now: the gap of its absence closes, and the one of ecosystems it lacked is
  // said afresh; others (an analyzer that failed) stay.
  const before = entry.notChecked ?? [];
  const uncovered = context.gap?.(matched) ?? null;
  const notChecked: NotChecked[] = [
    ...before.filter((n) => !(n.category === 'vulnerabilities' && (isMissingDataReason(n.reason) || isCoverageGap(n.reason)))),
    ...(uncovered ? [{ category: 'vulnerabilities' as const, reason: uncovered }] : []),
  ];
  if (sameFindings(report, matched) && sameGaps(notChecked, before)) return { outcome: { kind: 'unchanged', imageId, entryId: entry.id }, write: null };
  const prepared = prepareRecord(
    { report: matched, notChecked, runningContainers: target.runningContainers },
    { imageId, repoDigests: target.repoDigests, ignores: context.ignores, now: context.now },
  );
  return {
    outcome: { kind: 'changed', imageId, entryId: entry.id, verdict: prepared.verdict, exploited: newlyExploited(report, matched) },
    write: () => context.save(prepared.report, entry.id, { stored: report, matched }),
  };
}

/** Reports matched but not yet written, at most: each holds a whole report in memory. */
const WRITES_AHEAD = 2;

/**
 * Re-matches the targets in order. Reports are written one after another while the next images
 * are matched (matching is CPU work; writing waits on the disk or on the writer thread), at most
 * WRITES_AHEAD behind, and an image's outcome is told once its file is written. Every write has
 * ended when this returns or throws.
 */
export async function rematchAll(targets: readonly RematchTarget[], context: RematchContext, onOutcome: (outcome: RematchOutcome) => void, signal?: AbortSignal): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  const written: Promise<void>[] = [];
  try {
    for (const target of targets) {
      signal?.throwIfAborted();
      if (written.length >= WRITES_AHEAD) await written[written.length - WRITES_AHEAD]!.catch(() => undefined);
      const { outcome, write } = await rematchOne(target, context);
      writing = writing.then(async () => {
        await write?.();
        onOutcome(outcome);
      });
      writing.catch(() => undefined); // its failure is seen where it is awaited
      written.push(writing);
    }
  } finally {
    await writing.catch(() => undefined);
  }
  await writing;
}

/** Whether a re-match found exactly what the stored report already has. */
function sameFindings(before: ScanReport, after: ScanReport): boolean {
  const a = before.vulnerabilities ?? [];
  const b = after.vulnerabilities ?? [];
  const am = before.malware ?? [];
  const bm = after.malware ?? [];
  // Most re-matches after new data differ in count: said without building anything.
  if (a.length !== b.length || am.length !== bm.length) return false;
  const ids = (r: ScanReport) =>
    JSON.stringify([
      (r.vulnerabilities ?? []).map((v) => [v.id, v.package.purl, v.severity, v.severitySource, v.fixedVersions, v.knownExploited?.dateAdded, v.epss?.score]),
      (r.malware ?? []).map((m) => [m.name, m.path]),
    ]);
  return ids(before) === ids(after);
}

function sameGaps(a: readonly NotChecked[], b: readonly NotChecked[]): boolean {
  return a.length === b.length && a.every((n, i) => n.category === b[i]!.category && n.reason === b[i]!.reason);
}
