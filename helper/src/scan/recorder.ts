/**
 * Turns a finished scan into stored state: the report file, the image's index entry (last few
 * reports), its counts, security status and priority; raises `risk.high_priority` when an
 * image becomes high priority.
 */
import type { IgnoreRule, NotChecked, ReportIndexEntry, RiskCategory, RiskCounts, ScanReport, SecurityStatus, ServerEvent } from '@shipshape/shared';
import { noIgnores, type IgnoreSource } from '../ignores/source.ts';
import { tagVulnerabilities, type Priority } from './priority.ts';
import type { ReportStore } from './report-store.ts';
import type { StateHost } from './state-host.ts';
import { deriveVerdict } from './verdict.ts';

export { securityStatusOf } from './verdict.ts';

export const KEEP_REPORTS_PER_IMAGE = 5;

export interface RecordInput {
  imageId: string;
  name: string;
  taskId: string | null;
  categories: RiskCategory[];
  report: ScanReport;
  runningContainers: number;
  /** Set when this is a re-match of an existing report (data update), not a new scan. */
  rematchOf?: ReportIndexEntry;
  /** Categories asked for that could not be evaluated (default: what the report says). */
  notChecked?: NotChecked[];
}

/** The ignores a verdict is drawn with: every rule, and the time that decides which have expired. */
export interface VerdictBasis {
  ignores: readonly IgnoreRule[];
  now: Date;
}

/** What the verdict of a report is drawn from besides the report: the image's identity and the ignores. */
export interface VerdictContext extends VerdictBasis {
  imageId: string;
  repoDigests: string[];
}

/** What recording a report decides from the report alone: the file as stored, and its verdict. */
export interface PreparedRecord {
  /** The report as stored: tags set, the gaps in it. */
  report: ScanReport;
  verdict: RecordedVerdict;
}

/** A prepared record without its report: what the state needs (a re-match worker sends this back). */
export interface RecordedVerdict {
  notChecked: NotChecked[];
  risks: RiskCounts;
  securityStatus: SecurityStatus;
  priority: Priority;
  packages: number;
  distro: { family: string; version: string } | null;
  knownExploited: number;
}

/** The input of a record, its report aside. */
export type RecordMeta = Omit<RecordInput, 'report' | 'notChecked'>;

/**
 * The stored form and verdict of a report. Pure (no state, no files): the recorder calls it,
 * and so does a data update's re-match in its worker threads.
 */
export function prepareRecord(input: Pick<RecordInput, 'report' | 'notChecked' | 'runningContainers'>, context: VerdictContext): PreparedRecord {
  const notChecked = input.notChecked ?? input.report.notChecked ?? [];
  let report: ScanReport = input.report.vulnerabilities
    ? { ...input.report, vulnerabilities: tagVulnerabilities(input.report.vulnerabilities) }
    : input.report;
  // The report file carries the same gaps as the index, so exports and downloads say so too.
  report = notChecked.length > 0 ? { ...report, notChecked } : withoutNotChecked(report);
  const { risks, securityStatus, priority } = deriveVerdict({
    report,
    image: { id: context.imageId, digests: context.repoDigests },
    ignores: context.ignores,
    notChecked,
    runningContainers: input.runningContainers,
    now: context.now,
  });
  return {
    report,
    verdict: {
      notChecked,
      risks,
      securityStatus,
      priority,
      packages: report.packages.length,
      distro: report.image.os ? { family: report.image.os.family, version: report.image.os.version } : null,
      knownExploited: (report.vulnerabilities ?? []).filter((f) => f.knownExploited).length,
    },
  };
}

/** What was just recorded, for observers (the risk history). */
export interface Recorded {
  imageId: string;
  entry: ReportIndexEntry;
  /** Findings of the stored report that CISA lists as exploited. */
  knownExploited: number;
  rematch: boolean;
  /** Whether it is the image's current report (an older one re-matched is not). */
  isLatest: boolean;
  at: string;
}

export class ScanRecorder {
  /** Called after each report is recorded. */
  onRecorded: ((recorded: Recorded) => void) | null = null;

  constructor(
    private readonly state: StateHost,
    private readonly reports: ReportStore,
    private readonly emit: (event: ServerEvent) => void,
    private readonly now: () => Date = () => new Date(),
    /** Ignored findings leave counts, status and priority (and so the high-priority event). */
    private readonly ignores: IgnoreSource = noIgnores,
  ) {}

  async record(input: RecordInput): Promise<ReportIndexEntry> {
    const { report: _report, notChecked: _notChecked, ...meta } = input;
    const { report, verdict } = prepareRecord(input, this.verdictContext(input.imageId));
    const id = input.rematchOf ? await this.reports.save(report, input.rematchOf.id) : await this.reports.save(report);
    return this.commit(meta, verdict, id);
  }

  /** What prepareRecord needs for this image besides its report. */
  verdictContext(imageId: string): VerdictContext {
    return { imageId, repoDigests: this.state.image(imageId)?.inventory.repoDigests ?? [], ...this.verdictBasis() };
  }

  verdictBasis(): VerdictBasis {
    return { ignores: this.ignores.rules(), now: this.ignores.now() };
  }

  /**
   * Puts a prepared report, already saved as `id`, into the state: the image's index entry,
   * counts, status and priority; raises `risk.high_priority` when the image becomes high priority.
   */
  async commit(input: RecordMeta, verdict: RecordedVerdict, id: string): Promise<ReportIndexEntry> {
    const { notChecked, risks, securityStatus, priority } = verdict;
    const at = this.now().toISOString();
    const entry: ReportIndexEntry = {
      id,
      imageId: input.imageId,
      taskId: input.rematchOf ? input.rematchOf.taskId : input.taskId,
      scannedAt: input.rematchOf ? input.rematchOf.scannedAt : at,
      categories: input.categories,
      risks,
      securityStatus,
      notChecked,
      priorityScore: priority.score,
      highPriority: priority.highPriority,
      packages: verdict.packages,
      rematchedAt: input.rematchOf ? at : null,
    };
    const record = this.state.image(input.imageId);
    const previous = record?.scan.reports ?? [];
    const wasHigh = record?.scan.highPriority ?? false;
    const kept = [entry, ...previous.filter((r) => r.id !== entry.id)];
    const isLatest = !input.rematchOf || previous[0]?.id === entry.id;
    this.state.updateScan(input.imageId, {
      reports: kept.slice(0, KEEP_REPORTS_PER_IMAGE),
      ...(isLatest
        ? {
            scanStatus: 'scanned' as const,
            scanReason: null,
            securityStatus: entry.securityStatus,
            notChecked,
            risks,
            lastScanned: entry.scannedAt,
            highPriority: priority.highPriority,
            priorityScore: priority.score,
            distro: verdict.distro,
          }
        : {}),
    });
    await this.forget(kept.slice(KEEP_REPORTS_PER_IMAGE));
    this.onRecorded?.({ imageId: input.imageId, entry, knownExploited: verdict.knownExploited, rematch: Boolean(input.rematchOf), isLatest, at });
    if (isLatest && priority.highPriority && !wasHigh) {
      this.emit({ type: 'risk.high_priority', imageId: input.imageId, name: input.name, priorityScore: priority.score, risks, reasons: priority.reasons });
    }
    return entry;
  }

  /**
   * Deletes report files the state no longer lists, once that state is on disk: a crash in
   * between leaves an unlisted file (swept at the next start), never a listed file that is gone.
   */
  private async forget(dropped: ReportIndexEntry[]): Promise<void> {
    if (dropped.length === 0) return;
    await this.state.persisted?.();
    if (this.state.lastWriteError) return;
    for (const report of dropped) await this.reports.remove(report.id);
  }

  /** A re-match that changed nothing: only the index entry records when it happened. */
  touch(imageId: string, reportId: string): void {
    const reports = this.state.image(imageId)?.scan.reports;
    if (!reports) return;
    const at = this.now().toISOString();
    this.state.updateScan(imageId, { reports: reports.map((r) => (r.id === reportId ? { ...r, rematchedAt: at } : r)) });
  }
}

function withoutNotChecked(report: ScanReport): ScanReport {
  if (!('notChecked' in report)) return report;
  const { notChecked: _dropped, ...rest } = report;
  return rest;
}

/** The newest stored report entry of an image, if any. */
export function latestReport(state: StateHost, imageId: string): ReportIndexEntry | null {
  return state.image(imageId)?.scan.reports?.[0] ?? null;
}
