/**
 * The app with scan services, for route tests: a fake Docker engine with two images
 * (`app:1` = sha256:aaaa…, `other:1` = sha256:bbbb…) and a fake scanner whose report lists
 * lodash 4.17.15. `close()` stops everything and removes the data dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanReport } from '@shipshape/shared';
import { createApp } from '../app.ts';
import { createScanServices } from '../scan/services.ts';
import type { ImageScanner } from '../scan/scanner.ts';
import { fakeImage } from './fake-engine.ts';
import { testApp, TEST_PORT, TEST_TOKEN } from './test-app.ts';

export const fakeScanReport = (id: string): ScanReport => ({
  image: { id, tags: [], os: { family: 'debian', version: '12' }, architecture: 'amd64', layers: [] },
  packages: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.15', sourceName: null, sourceVersion: null, purl: 'pkg:npm/lodash@4.17.15', paths: ['/app/node_modules/lodash/package.json'], layer: { diffId: 'sha256:l', createdBy: null } }],
  sensitive: [],
  malware: [],
  notes: [],
});
/** `report`: what the fake scanner finds in an image (default: fakeScanReport). */
export async function scanTestApp(options: { report?: (imageId: string) => ScanReport } = {}) {
  const report = options.report ?? fakeScanReport;
  const scanner: ImageScanner = async (job) => ({ report: report(job.imageId), cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} });
  const base = await testApp((engine) => {
    engine.addImage(fakeImage('a'.repeat(64), { tags: ['app:1', 'app:latest'] }));
    engine.addImage(fakeImage('b'.repeat(64), { tags: ['other:1'] }));
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'scan-routes-'));
  const scans = await createScanServices({ dataDir, store: base.store, inventory: base.inventory, bus: base.bus, dockerTarget: base.deps.dockerTarget, scanner, log: () => {} });
  const app = createApp({ ...base.deps, scans });
  const headers = { host: `127.0.0.1:${TEST_PORT}`, authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
  const call = async <T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await app.request(path, {
      method: init.method ?? 'GET',
      headers: { ...headers, ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const close = async () => {
    await scans.stop();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { base, scans, app, dataDir, headers, call, close };
}
