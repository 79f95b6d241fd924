import { describe, expect, it } from 'vitest';
import type { RiskCategory, ScanTask, ScheduledScanSettings } from '@shipshape/shared';
import { memoryHost } from '../scan/memory-host.ts';
import { ScanDataStore } from '../scan/scan-data.ts';
import type { ImageCatalog } from '../scan/scanner.ts';
import { ManualClock } from './clock.ts';
import { Scheduler, type ScheduleEngine } from './scheduler.ts';

const images = ['sha256:aaaa', 'sha256:bbbb', 'sha256:cccc'];
const catalog: ImageCatalog = {
  list: async () => images.map((id) => ({ id, name: id, runningContainers: 0 })),
  resolve: async (q) => (images.includes(q) ? { id: q, name: q, runningContainers: 0 } : null),
};

/** An engine whose tasks finish when the test says so, or end `cancelled` on cancel. */
function fakeEngine() {
  const tasks: Array<{ id: string; images: string[]; resolve: (t: ScanTask) => void; finished: boolean }> = [];
  const view = (id: string, imgs: string[], status: 'scanned' | 'cancelled'): ScanTask =>
    ({ id, total: imgs.length, done: imgs.length, failed: 0, images: imgs.map((imageId) => ({ imageId, status })) }) as unknown as ScanTask;
  const engine: ScheduleEngine = {
    createTask: async (input: { images: string[]; categories: RiskCategory[] }) => {
      const id = `t${tasks.length}`;
      tasks.push({ id, images: input.images, resolve: () => {}, finished: false });
      return { id } as ScanTask;
    },
    waitForTask: (id) => new Promise((resolve) => (tasks.find((t) => t.id === id)!.resolve = resolve)),
    cancel: ({ task }) => {
      const t = tasks.find((x) => x.id === task)!;
      // The first image had finished before the window closed; the rest were cancelled.
      t.resolve({ ...view(t.id, t.images, 'cancelled'), images: t.images.map((imageId, i) => ({ imageId, status: i === 0 ? 'scanned' : 'cancelled' })) } as unknown as ScanTask);
      return t.images.length - 1;
    },
  };
  const finish = (i: number) => tasks[i]!.resolve(view(tasks[i]!.id, tasks[i]!.images, 'scanned'));
  return { engine, tasks, finish };
}

const settings = (over: Partial<ScheduledScanSettings> = {}): ScheduledScanSettings => ({
  enabled: true,
  frequency: 'daily',
  startTime: '02:00',
  endTime: null,
  categories: ['malware'],
  images: 'all',
  ...over,
});
const flush = () => new Promise((r) => setTimeout(r, 10));
const HOUR = 3600_000;

function setup(opts: { limited?: (id: string) => boolean; host?: ReturnType<typeof memoryHost>; clock?: ManualClock } = {}) {
  const host = opts.host ?? memoryHost();
  const data = new ScanDataStore(host);
  const clock = opts.clock ?? new ManualClock(new Date('2026-03-01T12:00:00Z'));
  const fake = fakeEngine();
  const scheduler = new Scheduler({
    data,
    engine: fake.engine,
    catalog,
    clock,
    emit: () => {},
    timezone: 'UTC',
    licenses: { limited: !!opts.limited, isLicensed: opts.limited ?? (() => true) },
  });
  return { host, data, clock, fake, scheduler };
}

describe('Scheduler', () => {
  it('fires at the start time with a driven clock and records success', async () => {
    const { clock, fake, scheduler, data } = setup();
    expect(scheduler.update(settings()).nextRun).toBe('2026-03-02T02:00:00.000Z');
    clock.advance(14 * HOUR);
    await flush();
    expect(fake.tasks[0]?.images).toEqual(images);
    fake.finish(0);
    await scheduler.idle();
    expect(data.get().scheduleRuns).toMatchObject([{ outcome: 'success', scheduledFor: '2026-03-02T02:00:00.000Z', taskId: 't0', catchUp: false }]);
    expect(scheduler.view().nextRun).toBe('2026-03-03T02:00:00.000Z');
  });

  it('stops at the window end and resumes the rest in the next window', async () => {
    const { clock, fake, scheduler, data } = setup();
    scheduler.update(settings({ endTime: '03:00' }));
    clock.advance(14 * HOUR); // 02:00 on day 2: the run starts
    await flush();
    clock.advance(HOUR); // 03:00: the window closes
    await scheduler.idle();
    expect(data.get().scheduleRuns.at(-1)).toMatchObject({ outcome: 'paused', reason: '2 image(s) left for the next window' });
    clock.advance(23 * HOUR);
    await flush();
    expect(fake.tasks[1]?.images).toEqual(['sha256:bbbb', 'sha256:cccc']);
    fake.finish(1);
    await scheduler.idle();
    expect(data.get().scheduleRuns.at(-1)).toMatchObject({ outcome: 'success' });
    expect(data.get().scheduleBacklog).toBeNull();
  });

  it('catches up once after a restart that missed a slot', async () => {
    const first = setup();
    first.scheduler.update(settings());
    first.scheduler.stop(); // the helper goes down before 02:00
    const clock = new ManualClock(new Date('2026-03-04T09:00:00Z')); // restart days later
    const again = setup({ host: first.host, clock });
    again.scheduler.start();
    await flush();
    expect(again.fake.tasks).toHaveLength(1);
    again.fake.finish(0);
    await again.scheduler.idle();
    expect(again.data.get().scheduleRuns).toMatchObject([{ catchUp: true, outcome: 'success' }]);
    expect(again.scheduler.view().nextRun).toBe('2026-03-05T02:00:00.000Z');
  });

  it('reports insufficient_license when the pool leaves images out', async () => {
    const { clock, fake, scheduler, data } = setup({ limited: (id) => id === 'sha256:aaaa' });
    scheduler.update(settings());
    clock.advance(14 * HOUR);
    await flush();
    expect(fake.tasks[0]?.images).toEqual(['sha256:aaaa']);
    fake.finish(0);
    await scheduler.idle();
    expect(data.get().scheduleRuns.at(-1)).toMatchObject({ outcome: 'insufficient_license', reason: '2 of 3 image(s) have no license and were not scanned' });
  });
});
