import type Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeImage, type FakeEngine } from '../testing/fake-engine.ts';
import { fakeScanReport } from '../testing/scan-app.ts';
import { testApp } from '../testing/test-app.ts';
import { until } from '../testing/wait.ts';
import { createMultiEngineScanner } from './multi-engine-scanner.ts';
import { createScanServices } from './services.ts';
import type { ScanJob } from './scanner.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

const job = (imageId: string): ScanJob => ({ imageId, categories: ['vulnerabilities'], signal: new AbortController().signal, onProgress: () => undefined });

async function setup(failing = new Set<string>(), inPlace = new Set<string>()) {
  current = await testApp((local) => local.addImage(fakeImage('5a', { tags: ['app:1'] })), { engines: ['build'] });
  const t = current;
  const build = t.engines.get('build')!;
  const id = build.addImage(fakeImage('5a', { tags: ['app:1'] }));
  build.emit({ Type: 'image', Action: 'load' });
  await until(() => t.store.image(id)?.engines.build !== undefined);
  const reads: string[] = [];
  const scanner = createMultiEngineScanner({
    inventory: t.inventory,
    store: t.store,
    canReadLayerStore: async (name) => inPlace.has(name),
    scannerFor: (docker: Docker) => async (j) => {
      const engine = (docker as unknown as { fakeEngine: FakeEngine }).fakeEngine;
      const name = [...t.engines].find(([, e]) => e === engine)![0];
      reads.push(name);
      if (failing.has(name)) throw new Error('Docker unavailable: docker save: the daemon closed the connection mid-stream');
      return { report: fakeScanReport(j.imageId), cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} };
    },
  });
  return { t, build, id, reads, scanner };
}

describe('scans across engines', () => {
  it('reads an image held by two engines from one of them, the other when the first is offline', async () => {
    const { t, id, reads, scanner } = await setup();
    expect((await scanner(job(id))).server).toBe('local');
    t.engine.goAway();
    await until(() => !t.inventory.watcher('local')!.status.online);
    expect((await scanner(job(id))).server).toBe('build');
    expect(reads).toEqual(['local', 'build']);
  });

  it('ends with "engine NAME offline" when every engine holding the image is offline', async () => {
    const { t, build, id, scanner } = await setup();
    build.goAway();
    await until(() => !t.inventory.watcher('build')!.status.online);
    t.engine.goAway();
    await until(() => !t.inventory.watcher('local')!.status.online);
    await expect(scanner(job(id))).rejects.toThrow('engines local, build offline');
  });

  it('scans every engine\'s images when asked for all (as scheduled scans do), each image ID once', async () => {
    const { t, build, id } = await setup();
    const onlyBuild = build.addImage(fakeImage('b0', { tags: ['tool:1'] }));
    build.emit({ Type: 'image', Action: 'load' });
    await until(() => !!t.store.image(onlyBuild));
    const dataDir = await mkdtemp(join(tmpdir(), 'multi-engine-scan-'));
    const scanned: string[] = [];
    const scans = await createScanServices({
      dataDir,
      store: t.store,
      inventory: t.inventory,
      bus: t.bus,
      log: () => undefined,
      scanner: async (j) => (scanned.push(j.imageId), { report: fakeScanReport(j.imageId), cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} }),
    });
    try {
      const task = await scans.engine.createTask({ images: 'all', categories: ['vulnerabilities'], trigger: 'scheduled' });
      const done = await scans.engine.waitForTask(task.id);
      expect(done.total).toBe(2);
      expect(scanned.sort()).toEqual([id, onlyBuild].sort());
    } finally {
      await scans.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('prefers, among engines on this machine, one whose layer store it can read in place', async () => {
    const { id, scanner } = await setup(new Set(), new Set(['build']));
    expect((await scanner(job(id))).server).toBe('build');
  });

  it('takes the next engine when the first goes away mid-export', async () => {
    const { id, reads, scanner } = await setup(new Set(['local']));
    expect((await scanner(job(id))).server).toBe('build');
    expect(reads).toEqual(['local', 'build']);
  });
});
