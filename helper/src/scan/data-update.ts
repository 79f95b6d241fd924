/**
 * Data update: refresh the inventory from Docker, update the vulnerability data, then re-match
 * every stored inventory (the latest report of each image) against it, with no `docker save`.
 * Counts, statuses and priority follow. One update at a time; progress goes out as events.
 */
import type { DataSourceProgress, DataUpdateRequest, DataUpdateResult, DataUpdateStatus, DataUpdateTrigger, ServerEvent } from '@shipshape/shared';
import type { ScanRecorder } from './recorder.ts';
import type { RematchOutcome, RematchTarget } from './rematch/rematch-one.ts';
import type { Rematcher } from './rematch/rematcher.ts';
import type { ScanDataStore } from './scan-data.ts';
import type { StateHost } from './state-host.ts';

export interface DataUpdateDeps {
  state: StateHost;
  data: ScanDataStore;
  recorder: ScanRecorder;
  refreshInventory(): Promise<void>;
  /**
   * Updates the vulnerability data (from `source` when given, else the configured feed),
   * telling `progress` where each source stands whenever that changes; throws when no
   * source could be updated.
   */
  updateVulnData(request: DataUpdateRequest, signal: AbortSignal, progress: SourceProgressSink): Promise<NonNullable<DataUpdateResult['vulnDb']>>;
  /**
   * What re-matches the stored reports for one update run (it may memoise advisory lookups
   * across images, which mostly share packages); null when there is no database.
   */
  rematcher(): Rematcher | null;
  runningContainers(imageId: string): number;
  emit(event: ServerEvent): void;
  now?: () => Date;
}

/** A source's latest state; a source is known by its name. */
export type SourceProgressSink = (source: DataSourceProgress) => void;

/** Download progress goes out at most this often per source; a change of phase at once. */
const PROGRESS_EVENT_MS = 250;

export class DataUpdateBusyError extends Error {
  constructor() {
    super('a data update is already running');
  }
}

export class DataUpdater {
  private current: DataUpdateStatus = { running: false, phase: null, done: 0, total: 0, startedAt: null, lastResult: null, sources: [], trigger: null };
  private controller: AbortController | null = null;
  private promise: Promise<DataUpdateResult> | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: DataUpdateDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  status(): DataUpdateStatus {
    return { ...this.current, lastResult: this.current.lastResult ?? this.deps.data.get().dataUpdate };
  }

  /** Starts an update; throws DataUpdateBusyError while one runs. `auto`: the helper's own refresh. */
  start(request: DataUpdateRequest = {}, trigger: DataUpdateTrigger = 'manual'): Promise<DataUpdateResult> {
    if (this.promise) throw new DataUpdateBusyError();
    this.controller = new AbortController();
    this.promise = this.run(request, trigger, this.controller.signal).finally(() => {
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

  private async run(request: DataUpdateRequest, trigger: DataUpdateTrigger, signal: AbortSignal): Promise<DataUpdateResult> {
    const startedAt = this.now().toISOString();
    this.set({ running: true, phase: 'inventory', done: 0, total: 0, startedAt, sources: [], trigger });
    let rematched = 0;
    let changedImages = 0;
    let vulnDb: DataUpdateResult['vulnDb'] = null;
    let result: DataUpdateResult;
    const phaseSeconds: DataUpdateResult['phaseSeconds'] = {};
    let phaseStart = performance.now();
    // Each changed image's state is recorded as its outcome arrives; all are awaited before the
    // update ends, whatever its outcome.
    const recording: Promise<void>[] = [];
    const endPhase = (name: keyof DataUpdateResult['phaseSeconds']) => {
      phaseSeconds[name] = Math.round(performance.now() - phaseStart) / 1000;
      phaseStart = performance.now();
    };
    const onOutcome = (outcome: RematchOutcome) => {
      if (outcome.kind !== 'skipped') rematched++;
      if (outcome.kind === 'unchanged') {
        // Nothing new for this image: note the re-match; its report file was left alone.
        this.deps.recorder.touch(outcome.imageId, outcome.entryId);
      } else if (outcome.kind === 'changed') {
        changedImages++;
        recording.push(this.recordRematch(outcome));
      }
      this.set({ done: this.current.done + 1 });
    };
    try {
      await this.deps.refreshInventory();
      endPhase('inventory');
      this.set({ phase: 'vulndb' });
      vulnDb = await this.deps.updateVulnData(request, signal, (source) => this.sourceProgress(source));
      endPhase('vulndb');
      const scanned = this.deps.state.images().filter((r) => r.scan.reports?.[0]);
      this.set({ phase: 'rematch', total: scanned.length });
      const rematch = this.deps.rematcher();
      const targets: RematchTarget[] = [];
      for (const record of scanned) {
        const entry = record.scan.reports![0]!;
        if (rematch && entry.categories.includes('vulnerabilities')) {
          targets.push({ imageId: record.inventory.id, entry, repoDigests: record.inventory.repoDigests ?? [], runningContainers: this.deps.runningContainers(record.inventory.id) });
        } else this.set({ done: this.current.done + 1 });
      }
      if (rematch && targets.length > 0) {
        signal.throwIfAborted();
        const { ignores, now } = this.deps.recorder.verdictBasis();
        await rematch({ targets, ignores, now, onOutcome, signal });
      }
      await Promise.all(recording);
      endPhase('rematch');
      const sources = this.current.sources ?? [];
      result = { startedAt, finishedAt: this.now().toISOString(), outcome: 'success', reason: partialFailure(sources), rematched, changedImages, vulnDb, phaseSeconds, sources, trigger };
    } catch (error) {
      await Promise.allSettled(recording);
      const reason = error instanceof Error ? error.message : String(error);
      result = { startedAt, finishedAt: this.now().toISOString(), outcome: 'error', reason, rematched, changedImages, vulnDb, phaseSeconds, sources: this.current.sources ?? [], trigger };
    }
    this.deps.data.update((d) => {
      d.dataUpdate = result;
    });
    this.set({ running: false, phase: null, lastResult: result });
    return result;
  }

  /** A changed re-match's verdict into the state (its report file is written already), and the news of newly exploited findings. */
  private async recordRematch(outcome: Extract<RematchOutcome, { kind: 'changed' }>): Promise<void> {
    const record = this.deps.state.image(outcome.imageId);
    const entry = record?.scan.reports?.find((r) => r.id === outcome.entryId);
    // The image went away meanwhile (removed from Docker, or its reports dropped): nothing to record.
    if (!record || !entry) return;
    const name = record.inventory.repoTags[0] ?? record.inventory.id;
    await this.deps.recorder.commit(
      { imageId: outcome.imageId, name, taskId: entry.taskId, categories: entry.categories, runningContainers: this.deps.runningContainers(outcome.imageId), rematchOf: entry },
      outcome.verdict,
      outcome.entryId,
    );
    if (outcome.exploited.length > 0) this.deps.emit({ type: 'risk.known_exploited', imageId: outcome.imageId, name, findings: outcome.exploited });
  }

  private lastSourceEvent = 0;

  private sourceProgress(source: DataSourceProgress): void {
    const sources = [...(this.current.sources ?? [])];
    const at = sources.findIndex((s) => s.name === source.name);
    const samePhase = at >= 0 && sources[at]!.phase === source.phase;
    if (at >= 0) sources[at] = source;
    else sources.push(source);
    // Byte counts change with every chunk: store them, send them now and then.
    if (samePhase && performance.now() - this.lastSourceEvent < PROGRESS_EVENT_MS) {
      this.current = { ...this.current, sources };
      return;
    }
    this.lastSourceEvent = performance.now();
    this.set({ sources });
  }

  private set(patch: Partial<DataUpdateStatus>): void {
    this.current = { ...this.current, ...patch };
    this.deps.emit({ type: 'data_update.progress', status: this.status() });
  }
}

/** "2 of 11 sources failed (osv:Go: cannot reach …)": a success that the user must still hear about. */
function partialFailure(sources: readonly DataSourceProgress[]): string | null {
  const failed = sources.filter((s) => s.phase === 'failed');
  if (failed.length === 0) return null;
  return `${failed.length} of ${sources.length} sources failed and kept their previous data (${failed.map((s) => `${s.name}: ${s.error ?? 'failed'}`).join('; ')})`;
}

