/** Risk history through the API: a scanner whose results change from scan to scan. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { riskDelta, type HostRiskHistory, type ImageRiskHistory, type ScanReport, type ScanTask } from '@shipshape/shared';
import { createApp } from '../app.ts';
import { createScanServices } from '../scan/services.ts';
import type { ImageScanner } from '../scan/scanner.ts';
import { fakeImage } from '../testing/fake-engine.ts';
import { fakeScanReport } from '../testing/scan-app.ts';
import { testApp, TEST_PORT, TEST_TOKEN } from '../testing/test-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The n-th scan of an image finds n leaked keys. */
function growingScanner(): ImageScanner {
  const scans = new Map<string, number>();
  return async (job) => {
    const n = (scans.get(job.imageId) ?? 0) + 1;
    scans.set(job.imageId, n);
    const report: ScanReport = {
      ...fakeScanReport(job.imageId),
      sensitive: Array.from({ length: n }, (_, i) => ({ ruleId: 'private-key', name: 'Private key', type: 'private_key', severity: 'high', path: `/k${i}`, line: 1, layer: null, match: '-----BEGIN***', recommendation: '', inFinalFilesystem: true })),
    };
    return { report, cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} };
  };
}

async function setup() {
  const base = await testApp((engine) => {
    engine.addImage(fakeImage('a'.repeat(64), { tags: ['app:1'] }));
    engine.addImage(fakeImage('b'.repeat(64), { tags: ['other:1'] }));
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'risk-history-routes-'));
  const scans = await createScanServices({ dataDir, store: base.store, inventory: base.inventory, bus: base.bus, dockerTarget: base.deps.dockerTarget, scanner: growingScanner(), log: () => {} });
  const app = createApp({ ...base.deps, scans });
  closers.push(async () => {
    await scans.stop();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const call = async <T>(path: string, body?: unknown) => {
    const res = await app.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { host: `127.0.0.1:${TEST_PORT}`, authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const scan = async (images: string[]) => {
    const task = await call<ScanTask>('/api/scans', { images, categories: ['sensitive'] });
    await scans.engine.waitForTask(task.body.id);
  };
  return { call, scan };
}

describe('risk history routes', () => {
  it("answers an image's counts per scan and the host's totals per day with the latest change", async () => {
    const { call, scan } = await setup();
    await scan(['aaaa']);
    await scan(['aaaa', 'bbbb']);
    await scan(['aaaa']);
    const image = await call<ImageRiskHistory>('/api/images/aaaa/risk-history');
    expect(image.body.imageId).toBe(`sha256:${'a'.repeat(64)}`);
    expect(image.body.items.map((p) => [p.kind, p.sensitive])).toEqual([
      ['scan', 1],
      ['scan', 2],
      ['scan', 3],
    ]);
    const host = await call<HostRiskHistory>('/api/risk-history?days=30');
    expect(host.body.days).toHaveLength(1);
    expect(host.body.days[0]).toMatchObject({ images: 2, imagesAtRisk: 2, sensitive: 4 });
    expect(riskDelta(host.body.previous!, host.body.latest!)).toEqual({ sensitive: 1 });
    expect((await call<{ error: { field: string } }>('/api/risk-history?days=0')).body.error.field).toBe('days');
    expect((await call('/api/images/cccc/risk-history')).status).toBe(404);
  });
});
