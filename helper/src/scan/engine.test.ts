import { describe, expect, it } from 'vitest';
import type { ScanReport, ServerEvent } from '@shipshape/shared';
import { ScanEngine } from './engine.ts';
import type { ImageCatalog, ImageScanner, ScanJob } from './scanner.ts';

const id = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const catalog = (ids: string[]): ImageCatalog => ({
  list: async () => ids.map((i) => ({ id: i, name: `img-${i.slice(7, 10)}`, runningContainers: 0 })),
  resolve: async (q) => {
    const hit = ids.find((i) => i === q || i.slice(7).startsWith(q.replace(/^sha256:/, '')));
    return hit ? { id: hit, name: `img-${hit.slice(7, 10)}`, runningContainers: 0 } : null;
  },
});
const emptyReport = (imageId: string): ScanReport => ({ image: { id: imageId, tags: [], os: null, architecture: 'amd64', layers: [] }, packages: [], notes: [] });

/** A scanner that waits for `release` (or the abort signal), like a long docker save. */
function controllableScanner() {
  const started: ScanJob[] = [];
  const releases = new Map<string, () => void>();
  const scanner: ImageScanner = (job) => {
    started.push(job);
    return new Promise((resolve, reject) => {
      job.signal.addEventListener('abort', () => reject(job.signal.reason));
      releases.set(job.imageId, () => {
        if (job.imageId === id(3)) reject(new Error('layer 2 at byte 1024: unexpected end of archive'));
        else resolve({ report: emptyReport(job.imageId), cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} });
      });
    });
  };
  return { scanner, started, release: (i: string) => releases.get(i)?.() };
}

function engine(scanner: ImageScanner, opts: { concurrency?: number; timeout?: number; licensed?: (id: string) => boolean } = {}) {
  const events: ServerEvent[] = [];
  const e = new ScanEngine({
    scanner,
    catalog: catalog([id(1), id(2), id(3)]),
    settings: () => ({ concurrency: opts.concurrency ?? 1, imageTimeoutSeconds: opts.timeout ?? 3600 }),
    record: async ({ image }) => ({ reportId: `r-${image.id}`, risks: { vulnerabilities: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 }, viruses: 0, trojans: 0, sensitive: 0 }, atRisk: image.id === id(1) }),
    licensed: opts.licensed,
    emit: (ev) => events.push(ev),
  });
  return { e, events };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ScanEngine', () => {
  it('scans each image ID once, one at a time by default, and counts outcomes', async () => {
    const s = controllableScanner();
    const { e, events } = engine(s.scanner);
    const task = await e.createTask({ images: [id(1), id(1).slice(7, 19), id(2), id(3)], categories: ['vulnerabilities'] });
    expect(task.total).toBe(3);
    await tick();
    expect(s.started.map((j) => j.imageId)).toEqual([id(1)]);
    for (const i of [id(1), id(2), id(3)]) {
      s.release(i);
      await tick();
    }
    const done = await e.waitForTask(task.id);
    expect(done).toMatchObject({ total: 3, done: 3, succeeded: 2, failed: 1, atRisk: 1, percent: 100, state: 'finished' });
    expect(done.images.find((i) => i.imageId === id(3))).toMatchObject({ status: 'scan_exception', reason: 'layer 2 at byte 1024: unexpected end of archive' });
    expect(events.filter((ev) => ev.type === 'scan.finished')).toHaveLength(1);
  });

  it('runs several images at once with a higher concurrency', async () => {
    const s = controllableScanner();
    const { e } = engine(s.scanner, { concurrency: 2 });
    await e.createTask({ images: 'all', categories: ['malware'] });
    await tick();
    expect(s.started).toHaveLength(2);
  });

  it('cancel aborts the running scan signal and marks queued images cancelled', async () => {
    const s = controllableScanner();
    const { e } = engine(s.scanner);
    const task = await e.createTask({ images: 'all', categories: ['sensitive'] });
    await tick();
    expect(e.cancel({ task: task.id })).toBe(3);
    expect(s.started[0]!.signal.aborted).toBe(true);
    const done = await e.waitForTask(task.id);
    expect(done.state).toBe('cancelled');
    expect(done.images.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('keeps a cancelled image cancelled when its walk still reports progress while winding down', async () => {
    // The layer workers' last progress messages can arrive after the cancel has ended the image.
    const scanner: ImageScanner = (job) =>
      new Promise((_resolve, reject) => {
        job.onProgress({ phase: 'analyzing', bytesDone: 10, bytesTotal: 100, layersDone: 0, layersTotal: 2 });
        job.signal.addEventListener('abort', () => {
          reject(job.signal.reason);
          setTimeout(() => job.onProgress({ phase: 'analyzing', bytesDone: 50, bytesTotal: 100, layersDone: 1, layersTotal: 2 }), 1);
        });
      });
    const { e } = engine(scanner);
    const task = await e.createTask({ images: [id(1)], categories: ['sensitive', 'malware'] });
    await tick();
    e.cancel({ task: task.id });
    await e.waitForTask(task.id);
    await tick();
    const image = e.getTask(task.id)!.images[0]!;
    expect(image.status).toBe('cancelled');
    expect(Object.values(image.categories).map((c) => [c.phase, c.layersDone])).toEqual([
      ['cancelled', 0],
      ['cancelled', 0],
    ]);
  });

  it('ends an image that runs past its timeout as scan_exception', async () => {
    const s = controllableScanner();
    const { e } = engine(s.scanner, { timeout: 0.05 });
    const task = await e.createTask({ images: [id(2)], categories: ['sensitive'] });
    const done = await e.waitForTask(task.id);
    expect(done.images[0]).toMatchObject({ status: 'scan_exception', reason: 'scan timed out after 0.05 s' });
  });

  it('skips unlicensed images and rejects unknown IDs', async () => {
    const s = controllableScanner();
    const { e } = engine(s.scanner, { licensed: (i) => i === id(1) });
    const task = await e.createTask({ images: 'all', categories: ['malware'] });
    expect(task.skipped).toBe(2);
    await expect(e.createTask({ images: ['abcdef'], categories: ['malware'] })).rejects.toThrow('unknown image');
  });
});
