/**
 * The scheduled scan: fires at each slot (croner, local time), scans the chosen images, and
 * records how the run ended. With an end time, work left when the window closes is cancelled
 * and kept as a backlog that the next window resumes. After a restart, a slot missed while the
 * helper was down runs once at start (`catchUp`).
 */
import { randomUUID } from 'node:crypto';
import type { RiskCategory, ScanTask, ScheduledRun, ScheduledScanSettings, ScheduledScanState, ServerEvent } from '@shipshape/shared';
import type { ScanDataStore } from '../scan/scan-data.ts';
import type { ImageCatalog } from '../scan/scanner.ts';
import type { Clock } from './clock.ts';
import { nextSlot, windowEnd } from './slots.ts';

export interface ScheduleEngine {
  createTask(input: { images: string[]; categories: RiskCategory[]; trigger: 'scheduled' }): Promise<ScanTask>;
  waitForTask(id: string): Promise<ScanTask>;
  cancel(target: { task: string }, reason: string): number;
}

export interface SchedulerDeps {
  data: ScanDataStore;
  engine: ScheduleEngine;
  catalog: ImageCatalog;
  licenses: { limited: boolean; isLicensed(imageId: string): boolean };
  clock: Clock;
  emit(event: ServerEvent): void;
  /** IANA zone for tests; the helper uses local time. */
  timezone?: string;
  log?: (line: string) => void;
}

export const WINDOW_CLOSED_REASON = 'the schedule window ended; the rest resumes in the next window';

export class Scheduler {
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Arms the next slot; runs once now if a slot was missed while the helper was down. */
  start(): void {
    const { schedule } = this.deps.data.get();
    this.disarm();
    if (!schedule?.enabled) return;
    const missed = this.dueSlot(null);
    if (missed && missed.getTime() <= this.deps.clock.now().getTime()) {
      this.fire(missed, true);
      return;
    }
    this.arm();
  }

  stop(): void {
    this.disarm();
  }

  view(): ScheduledScanState {
    const data = this.deps.data.get();
    const settings: ScheduledScanSettings = data.schedule ?? { enabled: false, frequency: 'daily', startTime: '02:00', endTime: null, categories: ['vulnerabilities', 'sensitive', 'malware'], images: 'all' };
    return { settings, nextRun: settings.enabled ? (this.dueSlot(this.deps.clock.now())?.toISOString() ?? null) : null, runs: [...data.scheduleRuns].reverse() };
  }

  update(settings: ScheduledScanSettings): ScheduledScanState {
    this.deps.data.update((d) => {
      d.schedule = settings;
      d.scheduleAnchor = this.deps.clock.now().toISOString();
      d.scheduleBacklog = null;
    });
    this.disarm();
    if (settings.enabled && !this.running) this.arm();
    return this.view();
  }

  /** Resolves when the run in progress (if any) has been recorded. For tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * The slot due after the last run (or after the settings were saved), and not before `after`
   * when given. With `after` null the answer may lie in the past: that is a missed run.
   */
  private dueSlot(after: Date | null): Date | null {
    const data = this.deps.data.get();
    if (!data.schedule) return null;
    const last = data.scheduleRuns.at(-1);
    const lastSlot = last ? new Date(last.scheduledFor) : null;
    const anchor = new Date(data.scheduleAnchor ?? this.deps.clock.now().toISOString());
    return nextSlot(data.schedule, after ?? lastSlot ?? anchor, lastSlot, this.deps.timezone);
  }

  private arm(): void {
    const slot = this.dueSlot(this.deps.clock.now());
    if (!slot) return;
    this.cancelTimer = this.deps.clock.at(slot, () => this.fire(slot, false));
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private fire(slot: Date, catchUp: boolean): void {
    this.disarm();
    this.running = this.run(slot, catchUp)
      .catch((error: unknown) => this.deps.log?.(`scheduled scan failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.deps.data.get().schedule?.enabled) this.arm();
      });
  }

  private async run(slot: Date, catchUp: boolean): Promise<void> {
    const { schedule, scheduleBacklog } = this.deps.data.get();
    if (!schedule) return;
    const run: ScheduledRun = {
      id: randomUUID(),
      scheduledFor: slot.toISOString(),
      startedAt: this.deps.clock.now().toISOString(),
      endedAt: null,
      outcome: 'running',
      reason: null,
      taskId: null,
      catchUp,
      images: 0,
    };
    const finish = (outcome: ScheduledRun['outcome'], reason: string | null) => {
      run.outcome = outcome;
      run.reason = reason;
      run.endedAt = this.deps.clock.now().toISOString();
      this.save(run);
    };
    try {
      const onHost = new Set((await this.deps.catalog.list()).map((i) => i.id));
      const wanted = scheduleBacklog?.images ?? (schedule.images === 'all' ? [...onHost] : await this.resolveAll(schedule.images));
      const present = wanted.filter((id) => onHost.has(id));
      const licensed = present.filter((id) => this.deps.licenses.isLicensed(id));
      run.images = licensed.length;
      if (present.length === 0) return finish('no_images', scheduleBacklog ? 'the images left over from the last window are gone' : 'no images to scan');
      const unlicensed = present.length - licensed.length;
      if (licensed.length === 0) return finish('insufficient_license', `none of the ${present.length} image(s) has a license`);
      const task = await this.deps.engine.createTask({ images: licensed, categories: schedule.categories, trigger: 'scheduled' });
      run.taskId = task.id;
      this.save(run);
      const end = windowEnd(schedule, this.deps.clock.now(), this.deps.timezone);
      let windowClosed = false;
      const cancelWindow = end
        ? this.deps.clock.at(end, () => {
            windowClosed = true;
            this.deps.engine.cancel({ task: task.id }, WINDOW_CLOSED_REASON);
          })
        : () => {};
      const done = await this.deps.engine.waitForTask(task.id);
      cancelWindow();
      const left = done.images.filter((i) => i.status === 'cancelled').map((i) => i.imageId);
      this.deps.data.update((d) => {
        d.scheduleBacklog = windowClosed && left.length ? { runId: run.id, images: left } : null;
      });
      if (windowClosed && left.length) return finish('paused', `${left.length} image(s) left for the next window`);
      if (unlicensed > 0) return finish('insufficient_license', `${unlicensed} of ${present.length} image(s) have no license and were not scanned`);
      finish('success', done.failed ? `${done.failed} of ${done.total} image(s) failed to scan` : null);
    } catch (error) {
      finish('error', error instanceof Error ? error.message : String(error));
    }
  }

  private async resolveAll(ids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) {
      const hit = await this.deps.catalog.resolve(id);
      if (hit) out.push(hit.id);
    }
    return out;
  }

  private save(run: ScheduledRun): void {
    this.deps.data.update((d) => {
      const i = d.scheduleRuns.findIndex((r) => r.id === run.id);
      if (i >= 0) d.scheduleRuns[i] = { ...run };
      else d.scheduleRuns.push({ ...run });
    });
    this.deps.emit({ type: 'schedule.run', run: { ...run } });
  }
}
