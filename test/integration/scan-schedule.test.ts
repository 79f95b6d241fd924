/**
 * The scheduled scan with a clock the test drives, on the real daemon and the real analyzers:
 * the slot fires, the image is really scanned, the run is recorded; after a "restart" that
 * missed a slot, the run happens once at start (catch-up).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { eicar } from '@shipshape/analyzers/malware/test-files.ts';
import { parseDockerHost } from '@shipshape/helper/docker/client.ts';
import { createDockerEngine } from '@shipshape/helper/docker/engine.ts';
import { EventBus } from '@shipshape/helper/events/bus.ts';
import { Inventory } from '@shipshape/helper/inventory/inventory.ts';
import { ManualClock } from '@shipshape/helper/schedule/clock.ts';
import { createScanServices, type ScanServices } from '@shipshape/helper/scan/services.ts';
import { StateStore } from '@shipshape/helper/state/store.ts';
import { loadImageArchive, removeImages, waitFor } from '../support/docker.ts';

const PREFIX = 'shipshape-test/scan-schedule';
const TAG = `${PREFIX}:eicar`;
const HOUR = 3600_000;
let work: string;
let imageId: string;

/** One helper "process": state, inventory and scan services over a data dir, on a driven clock. */
async function boot(dataDir: string, clock: ManualClock) {
  const dockerTarget = parseDockerHost(process.env.DOCKER_HOST);
  const store = await StateStore.open(dataDir, { log: () => {} });
  const bus = new EventBus();
  const inventory = new Inventory(createDockerEngine(dockerTarget), store, bus, { log: () => {} });
  await inventory.start();
  await waitFor(() => store.image(imageId), 10_000);
  const scans = await createScanServices({ dataDir, store, inventory, bus, dockerTarget, clock, timezone: 'UTC', log: () => {} });
  return {
    store,
    scans,
    async stop() {
      await scans.stop();
      await inventory.stop();
      await store.flush();
    },
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-scan-schedule-'));
  await removeImages(PREFIX);
  const archive = join(work, 'image.tar');
  const built = await writeImageArchive({ tags: [TAG], layers: [{ files: [{ path: '/eicar.com', content: eicar() }, { path: '/nonce', content: `${process.pid}-${Date.now()}` }] }] }, archive);
  await loadImageArchive(archive);
  imageId = built.imageId;
});

afterAll(async () => {
  await removeImages(PREFIX).catch(() => {});
  await rm(work, { recursive: true, force: true });
});

describe('scheduled scan (driven clock, real daemon)', () => {
  let first: Awaited<ReturnType<typeof boot>>;
  let scans: ScanServices;

  it('fires at the start time, scans for real and records the run', async () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    first = await boot(join(work, 'data'), clock);
    scans = first.scans;
    scans.start();
    const view = scans.scheduler.update({ enabled: true, frequency: 'daily', startTime: '02:00', endTime: null, categories: ['malware'], images: [imageId] });
    expect(view.nextRun).toBe('2026-03-02T02:00:00.000Z');
    clock.advance(13 * HOUR);
    expect(scans.scheduler.view().runs).toEqual([]);
    clock.advance(HOUR);
    await waitFor(() => scans.scheduler.view().runs[0]?.outcome === 'success', 60_000);
    const run = scans.scheduler.view().runs[0]!;
    expect(run).toMatchObject({ scheduledFor: '2026-03-02T02:00:00.000Z', catchUp: false, images: 1, reason: null });
    const task = scans.engine.getTask(run.taskId!)!;
    expect(task).toMatchObject({ trigger: 'scheduled', succeeded: 1 });
    expect(first.store.image(imageId)!.scan).toMatchObject({ scanStatus: 'scanned', securityStatus: 'at_risk' });
    expect(scans.scheduler.view().nextRun).toBe('2026-03-03T02:00:00.000Z');
    await first.stop();
  });

  it('after a restart that missed a slot, runs once at start', async () => {
    const clock = new ManualClock(new Date('2026-03-05T09:00:00Z'));
    const again = await boot(join(work, 'data'), clock);
    again.scans.start();
    await waitFor(() => again.scans.scheduler.view().runs[0]?.outcome === 'success' && again.scans.scheduler.view().runs.length === 2, 60_000);
    const runs = again.scans.scheduler.view().runs;
    expect(runs[0]).toMatchObject({ catchUp: true, scheduledFor: '2026-03-03T02:00:00.000Z' });
    expect(runs).toHaveLength(2);
    expect(again.scans.scheduler.view().nextRun).toBe('2026-03-06T02:00:00.000Z');
    await again.stop();
  });
});
