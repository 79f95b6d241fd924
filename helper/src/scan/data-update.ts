/**
 * Data update: refresh the inventory from Docker, update the vulnerability data, then re-match
 * every stored inventory (the latest report of each image) against it, with no `docker save`.
 * Counts, statuses and priority follow. One update at a time; progress goes out as events.
 */
import type { DataUpdateRequest, DataUpdateResult, DataUpdateStatus, ScanReport, ServerEvent } from '@shipshape/shared';
import { newlyExploited } from './newly-exploited.ts';
import type { ScanRecorder } from './recorder.ts';
import type { ReportStore } from './report-store.ts';
import type { ScanDataStore } from './scan-data.ts';
import type { StateHost } from './state-host.ts';

export interface DataUpdateDeps {
  state: StateHost;
  data: ScanDataStore;
  reports: ReportStore;
  recorder: ScanRecorder;
  refreshInventory(): Promise<void>;
  /** Updates the vulnerability data (from `source` when given, else the configured feed). */
  updateVulnData(request: DataUpdateRequest, signal: AbortSignal): Promise<NonNullable<DataUpdateResult['vulnDb']>>;
  /**
   * A re-matcher for one update run (it may memoise advisory lookups across images, which
   * mostly share packages); null when there is no database.
   */
  rematcher(): ((report: ScanReport) => ScanReport) | null;
  runningContainers(imageId: string): number;
  emit(event: ServerEvent): void;
  now?: () => Date;
}

export class DataUpdateBusyError extends Error {
  constructor() {
    super('a data update is already running');
  }
}

export class DataUpdater {
  private current: DataUpdateStatus = { running: false, phase: null, done: 0, total: 0, startedAt: null, lastResult: null };
  private controller: AbortController | null = null;
  private promise: Promise<DataUpdateResult> | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: DataUpdateDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  status(): DataUpdateStatus {
    return { ...this.current, lastResult: this.current.lastResult ?? this.deps.data.get().dataUpdate };
  }

  /** Starts an update; rejects with DataUpdateBusyError while one runs. */
  start(request: DataUpdateRequest = {}): Promise<DataUpdateResult> {
    if (this.promise) throw new DataUpdateBusyError();
    this.controller = new AbortController();
    this.promise = this.run(request, this.controller.signal).finally(() => {
      this.promise = null;
      this.controller = null;
    });
    return this.promise;
  }

  /** The running update, if any (for tests and shutdown). */
  get running(): Promise<DataUpdateResult> | null {
    return this.promise;
  }

  stop(): void {
    this.controller?.abort(new Error('helper stopping'));
  }

  private async run(request: DataUpdateRequest, signal: AbortSignal): Promise<DataUpdateResult> {
    const startedAt = this.now().toISOString();
    this.set({ running: true, phase: 'inventory', done: 0, total: 0, startedAt });
    let rematched = 0;
    let changedImages = 0;
    let vulnDb: DataUpdateResult['vulnDb'] = null;
    let result: DataUpdateResult;
    const phaseSeconds: DataUpdateResult['phaseSeconds'] = {};
    let phaseStart = performance.now();
    const endPhase = (name: keyof DataUpdateResult['phaseSeconds']) => {
      phaseSeconds[name] = Math.round(performance.now() - phaseStart) / 1000;
      phaseStart = performance.now();
    };
    try {
      await this.deps.refreshInventory();
      endPhase('inventory');
      this.set({ phase: 'vulndb' });
      vulnDb = await this.deps.updateVulnData(request, signal);
      endPhase('vulndb');
      const scanned = this.deps.state.images().filter((r) => r.scan.reports?.[0]);
      this.set({ phase: 'rematch', total: scanned.length });
      const rematch = this.deps.rematcher();
      for (const record of scanned) {
        signal.throwIfAborted();
        const entry = record.scan.reports![0]!;
        const report = await this.deps.reports.load(entry.id);
        if (report && rematch && entry.categories.includes('vulnerabilities')) {
          const matched = rematch(report);
          rematched++;
          // The data is here now: vulnerabilities were checked, whatever the scan could not do then.
          const before = entry.notChecked ?? [];
          const notChecked = before.filter((n) => n.category !== 'vulnerabilities');
          if (sameFindings(report, matched) && notChecked.length === before.length) {
            // Nothing new for this image: note the re-match, leave the report file alone.
            this.deps.recorder.touch(record.inventory.id, entry.id);
          } else {
            await this.deps.recorder.record({
              imageId: record.inventory.id,
              name: record.inventory.repoTags[0] ?? record.inventory.id,
              taskId: entry.taskId,
              categories: entry.categories,
              report: matched,
              runningContainers: this.deps.runningContainers(record.inventory.id),
              rematchOf: entry,
              notChecked,
            });
            changedImages++;
            const exploited = newlyExploited(report, matched);
            if (exploited.length > 0) {
              this.deps.emit({ type: 'risk.known_exploited', imageId: record.inventory.id, name: record.inventory.repoTags[0] ?? record.inventory.id, findings: exploited });
            }
          }
        }
        this.set({ done: this.current.done + 1 });
      }
      endPhase('rematch');
      result = { startedAt, finishedAt: this.now().toISOString(), outcome: 'success', reason: null, rematched, changedImages, vulnDb, phaseSeconds };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result = { startedAt, finishedAt: this.now().toISOString(), outcome: 'error', reason, rematched, changedImages, vulnDb, phaseSeconds };
    }
    this.deps.data.update((d) => {
      d.dataUpdate = result;
    });
    this.set({ running: false, phase: null, lastResult: result });
    return result;
  }

  private set(patch: Partial<DataUpdateStatus>): void {
    this.current = { ...this.current, ...patch };
    this.deps.emit({ type: 'data_update.progress', status: this.status() });
  }
}

/** Whether a re-match found exactly what the stored report already has. */
function sameFindings(before: ScanReport, after: ScanReport): boolean {
  const ids = (r: ScanReport) =>
    JSON.stringify([
      (r.vulnerabilities ?? []).map((v) => [v.id, v.package.purl, v.severity, v.severitySource, v.fixedVersions, v.knownExploited?.dateAdded, v.epss?.score]),
      (r.malware ?? []).map((m) => [m.name, m.path]),
    ]);
  return ids(before) === ids(after);
}
