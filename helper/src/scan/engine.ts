/**
 * The scan queue: tasks of images, a configurable number of images scanned at once, a
 * per-image timeout, and cancel (of images or a whole task) that aborts the running scan
 * through its AbortSignal, so the export stream and the analyzers stop at once.
 */
import { randomUUID } from 'node:crypto';
import type { NotChecked, RiskCategory, RiskCounts, ScanStatus, ScanTask, ServerEvent, TaskImage } from '@shipshape/shared';
import type { ImageCatalog, ImageCatalogEntry, ImageScanner, ScanJobResult } from './scanner.ts';
import { isFinal, newTaskImage, viewTask, type TaskRecord } from './task.ts';

export class UnknownImageError extends Error {
  constructor(readonly imageId: string) {
    super(`unknown image: ${imageId}`);
  }
}

export interface RecordedScan {
  reportId: string;
  risks: RiskCounts;
  atRisk: boolean;
  /** Categories that could not be checked, as recorded (default: the scanner's categoryErrors). */
  notChecked?: NotChecked[];
}

export interface ScanEngineDeps {
  scanner: ImageScanner;
  catalog: ImageCatalog;
  settings(): { concurrency: number; imageTimeoutSeconds: number };
  /** Stores the report (and the image's new status, counts and priority). */
  record(input: { image: ImageCatalogEntry; taskId: string; categories: RiskCategory[]; result: ScanJobResult }): Promise<RecordedScan>;
  /** The image's scan status changed (the inventory shows it). */
  statusChanged?(imageId: string, status: ScanStatus, reason: string | null): void;
  /** When it answers false, the image is not scanned (`skipped`, reason: no license). */
  licensed?(imageId: string): boolean;
  emit(event: ServerEvent): void;
  now?: () => Date;
  log?: (line: string) => void;
}

interface QueueEntry {
  task: TaskRecord;
  image: ImageCatalogEntry;
}

const PROGRESS_EVENT_INTERVAL_MS = 250;
const KEEP_FINISHED_TASKS = 50;

export class ScanEngine {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly queue: QueueEntry[] = [];
  private readonly running = new Map<string, { entry: QueueEntry; controller: AbortController }>();
  private readonly waiters = new Map<string, Array<(task: ScanTask) => void>>();
  private readonly now: () => Date;

  constructor(private readonly deps: ScanEngineDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Creates a task; unknown IDs throw UnknownImageError before anything is queued. */
  async createTask(input: { images: 'all' | string[]; categories: RiskCategory[]; trigger?: ScanTask['trigger'] }): Promise<ScanTask> {
    const entries = await this.resolveImages(input.images);
    const task: TaskRecord = {
      id: randomUUID(),
      trigger: input.trigger ?? 'manual',
      categories: [...new Set(input.categories)],
      createdAt: this.now(),
      startedAt: null,
      finishedAt: null,
      cancelRequested: false,
      images: new Map(),
    };
    this.tasks.set(task.id, task);
    for (const image of entries) {
      const item = newTaskImage(image.id, image.name, task.categories);
      task.images.set(image.id, item);
      if (this.deps.licensed && !this.deps.licensed(image.id)) {
        this.finishImage(task, item, 'skipped', 'image has no license (the license pool is limited)');
        continue;
      }
      this.queue.push({ task, image });
    }
    this.pruneOldTasks();
    this.maybeFinishTask(task);
    this.pump();
    return viewTask(task, this.now());
  }

  getTask(id: string): ScanTask | null {
    const task = this.tasks.get(id);
    return task ? viewTask(task, this.now()) : null;
  }

  listTasks(): ScanTask[] {
    return [...this.tasks.values()].map((t) => viewTask(t, this.now())).reverse();
  }

  /** Resolves when every image of the task is final. */
  waitForTask(id: string): Promise<ScanTask> {
    const task = this.getTask(id);
    if (!task) return Promise.reject(new Error(`unknown task ${id}`));
    if (task.done === task.total) return Promise.resolve(task);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  /** Cancels queued and running scans of these images (in every task), or of one task. Returns how many. */
  cancel(target: { images?: string[]; task?: string }, reason = 'cancelled by the user'): number {
    const matches = (entry: QueueEntry) =>
      target.task ? entry.task.id === target.task : (target.images ?? []).some((id) => entry.image.id === id || entry.image.id.replace(/^sha256:/, '').startsWith(id.replace(/^sha256:/, '')));
    if (target.task) {
      const task = this.tasks.get(target.task);
      if (task) task.cancelRequested = true;
    }
    let count = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const entry = this.queue[i]!;
      if (!matches(entry)) continue;
      this.queue.splice(i, 1);
      const item = entry.task.images.get(entry.image.id)!;
      this.finishImage(entry.task, item, 'cancelled', reason);
      count++;
    }
    for (const { entry, controller } of this.running.values()) {
      if (!matches(entry) || controller.signal.aborted) continue;
      controller.abort(new CancelledError(reason));
      count++;
    }
    return count;
  }

  /** Images currently queued or scanning (for the schedule's window and licensing). */
  get busy(): boolean {
    return this.queue.length > 0 || this.running.size > 0;
  }

  private async resolveImages(images: 'all' | string[]): Promise<ImageCatalogEntry[]> {
    if (images === 'all') return this.deps.catalog.list();
    const byId = new Map<string, ImageCatalogEntry>();
    for (const id of images) {
      const entry = await this.deps.catalog.resolve(id);
      if (!entry) throw new UnknownImageError(id);
      byId.set(entry.id, entry); // the same image ID (several tags) is scanned once
    }
    return [...byId.values()];
  }

  private pump(): void {
    const { concurrency } = this.deps.settings();
    while (this.running.size < concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      void this.run(entry);
    }
  }

  private async run(entry: QueueEntry): Promise<void> {
    const { task, image } = entry;
    const item = task.images.get(image.id)!;
    const controller = new AbortController();
    const key = `${task.id}/${image.id}`;
    this.running.set(key, { entry, controller });
    const timeoutSeconds = this.deps.settings().imageTimeoutSeconds;
    const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
    task.startedAt ??= this.now();
    item.status = 'scanning';
    item.startedAt = this.now().toISOString();
    this.deps.statusChanged?.(image.id, 'scanning', null);
    this.emitProgress(task, item);
    let lastEmit = 0;
    try {
      const result = await this.deps.scanner({
        imageId: image.id,
        categories: task.categories,
        signal: controller.signal,
        onLayerSource: (source, note) => {
          item.layerSource = source;
          item.layerSourceNote = note;
          this.emitProgress(task, item);
        },
        onProgress: (p) => {
          // A walk winding down after a cancel or a timeout says nothing more: its last words
          // would overwrite the categories' final phase.
          if (controller.signal.aborted || isFinal(item)) return;
          for (const cat of Object.values(item.categories)) Object.assign(cat, p);
          const t = Date.now();
          if (t - lastEmit >= PROGRESS_EVENT_INTERVAL_MS) {
            lastEmit = t;
            this.emitProgress(task, item);
          }
        },
      });
      controller.signal.throwIfAborted();
      const recorded = await this.deps.record({ image, taskId: task.id, categories: task.categories, result });
      item.cachedLayers = result.cachedLayers;
      item.analyzedLayers = result.analyzedLayers;
      item.dockerSaveSkipped = result.dockerSaveSkipped;
      item.server = result.server ?? null;
      item.layerSource = result.layerSource ?? 'export';
      item.layerSourceNote = result.layerSourceNote ?? null;
      item.reportId = recorded.reportId;
      item.risks = recorded.risks;
      item.atRisk = recorded.atRisk;
      const gaps: Partial<Record<RiskCategory, string>> = recorded.notChecked ? {} : { ...result.categoryErrors };
      for (const n of recorded.notChecked ?? []) gaps[n.category] = gaps[n.category] ? `${gaps[n.category]}; ${n.reason}` : n.reason;
      for (const [name, cat] of Object.entries(item.categories)) {
        const error = gaps[name as RiskCategory];
        cat.phase = error ? 'failed' : 'done';
        cat.error = error ?? null;
      }
      this.deps.log?.(
        `scan ${image.name} (${image.id.slice(7, 19)})${result.server ? ` from engine ${result.server}` : ''}: ${result.dockerSaveSkipped ? 'every layer cached, docker save skipped' : `${result.analyzedLayers} layer(s) analysed ${result.layerSource === 'in-place' ? 'in place' : 'from docker save'}, ${result.cachedLayers} from cache`}${result.layerSourceNote ? ` (${result.layerSourceNote})` : ''}`,
      );
      this.finishImage(task, item, 'scanned', null);
    } catch (error) {
      const aborted = controller.signal.aborted ? controller.signal.reason : null;
      if (aborted instanceof CancelledError) {
        this.finishImage(task, item, 'cancelled', aborted.message);
      } else {
        const reason = aborted instanceof TimeoutError ? aborted.message : readableReason(error);
        for (const cat of Object.values(item.categories)) if (cat.phase !== 'done') Object.assign(cat, { phase: 'failed', error: reason });
        this.finishImage(task, item, 'scan_exception', reason);
      }
    } finally {
      clearTimeout(timer);
      this.running.delete(key);
      this.pump();
    }
  }

  private finishImage(task: TaskRecord, item: TaskImage, status: 'scanned' | 'cancelled' | 'scan_exception' | 'skipped', reason: string | null): void {
    item.status = status;
    item.reason = reason;
    item.finishedAt = this.now().toISOString();
    if (status === 'cancelled') for (const cat of Object.values(item.categories)) if (cat.phase !== 'done') cat.phase = 'cancelled';
    if (status === 'skipped') for (const cat of Object.values(item.categories)) cat.phase = 'skipped';
    if (status !== 'skipped') this.deps.statusChanged?.(item.imageId, status, reason);
    this.emitProgress(task, item);
    this.maybeFinishTask(task);
  }

  private maybeFinishTask(task: TaskRecord): void {
    if (task.finishedAt || ![...task.images.values()].every(isFinal)) return;
    task.finishedAt = this.now();
    const view = viewTask(task, this.now());
    const { images: _images, ...summary } = view;
    this.deps.emit({ type: 'scan.finished', task: summary });
    for (const resolve of this.waiters.get(task.id) ?? []) resolve(view);
    this.waiters.delete(task.id);
  }

  private emitProgress(task: TaskRecord, item: TaskImage): void {
    const view = viewTask(task, this.now());
    this.deps.emit({ type: 'scan.progress', taskId: task.id, percent: view.percent, image: structuredClone(item) });
  }

  private pruneOldTasks(): void {
    const finished = [...this.tasks.values()].filter((t) => t.finishedAt);
    for (const task of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_TASKS))) this.tasks.delete(task.id);
  }
}

export class CancelledError extends Error {}
export class TimeoutError extends Error {
  constructor(seconds: number) {
    super(`scan timed out after ${seconds} s`);
  }
}

function readableReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 500) || 'scan failed';
}
