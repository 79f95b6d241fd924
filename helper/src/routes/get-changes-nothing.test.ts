/**
 * No state changes on GET (issue 8): every GET route the app registers is called, with the
 * query forms the UI uses, and afterwards the state, the files in the data dir and the task
 * list are exactly as before. A route added later is covered without editing this test.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ScanReport, ScanTask } from '@shipshape/shared';
import { createApp } from '../app.ts';
import { createScanServices } from '../scan/services.ts';
import type { ImageScanner } from '../scan/scanner.ts';
import { fakeImage } from '../testing/fake-engine.ts';
import { testApp, TEST_PORT, TEST_TOKEN } from '../testing/test-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const report = (id: string): ScanReport => ({
  image: { id, tags: [], os: { family: 'debian', version: '12' }, architecture: 'amd64', layers: [] },
  packages: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.15', sourceName: null, sourceVersion: null, purl: 'pkg:npm/lodash@4.17.15', paths: ['/app/node_modules/lodash/package.json'], layer: { diffId: 'sha256:l', createdBy: null } }],
  sensitive: [],
  malware: [],
  notes: [],
});
const scanner: ImageScanner = async (job) => ({ report: report(job.imageId), cachedLayers: 0, analyzedLayers: 1, dockerSaveSkipped: false, categoryErrors: {} });

/** Every file under `dir` with its size and modification time. */
async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const s = await stat(path);
    out.push(`${path.slice(dir.length)} ${s.size} ${s.mtimeMs}`);
  }
  return out.sort();
}

/** The GET forms to try for a route pattern: its parameters filled, plus the query variants the UI sends. */
function requestsFor(path: string, ids: { image: string; task: string }): string[] {
  const filled = path.replace(':id', ids.image).replace(':task', ids.task);
  const variants: Record<string, string[]> = {
    '/api/images/:id/report': ['', '?format=json', '?format=sarif', '?format=cyclonedx', '?format=spdx'],
    '/api/export': ['?format=csv', '?format=xlsx'],
    '/api/images': ['', '?q=app&sort=risk&order=desc&limit=10', '?scanStatus=scanned'],
  };
  return (variants[path] ?? ['']).map((query) => `${filled}${query}`);
}

it('no GET route changes the state, the data dir or the tasks', async () => {
  const base = await testApp((engine) => {
    engine.addImage(fakeImage('a'.repeat(64), { tags: ['app:1'] }));
    engine.addImage(fakeImage('b'.repeat(64), { tags: ['other:1'] }));
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'get-safe-'));
  const scans = await createScanServices({ dataDir, store: base.store, inventory: base.inventory, bus: base.bus, dockerTarget: base.deps.dockerTarget, scanner, log: () => {} });
  scans.start();
  closers.push(async () => {
    await scans.stop();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const app = createApp({ ...base.deps, scans });
  const headers = { host: `127.0.0.1:${TEST_PORT}`, authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
  const created = (await (await app.request('/api/scans', { method: 'POST', headers, body: JSON.stringify({ images: ['aaaa'] }) })).json()) as ScanTask;
  await scans.engine.waitForTask(created.id);
  await base.store.flush();

  const tasks = async () => JSON.stringify(await (await app.request('/api/scans', { headers })).json());
  const before = { state: JSON.stringify(base.store.state), files: await files(dataDir), tasks: await tasks() };

  const routes = [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
  const answered: string[] = [];
  for (const route of routes) {
    for (const path of requestsFor(route, { image: 'a'.repeat(12), task: created.id })) {
      // The event stream never ends: read its first chunk, then hang up.
      const abort = new AbortController();
      const res = await app.request(path, { headers, signal: abort.signal });
      if (route === '/api/events') {
        await res.body?.getReader().read();
        abort.abort();
      } else {
        await res.arrayBuffer();
      }
      expect(res.status, path).toBeLessThan(500);
      answered.push(`${res.status} ${path}`);
    }
  }
  await base.store.flush();
  expect(routes.length).toBeGreaterThan(20);
  expect(JSON.stringify(base.store.state)).toBe(before.state);
  expect(await files(dataDir)).toEqual(before.files);
  expect(await tasks()).toBe(before.tasks);
  console.log(`GET routes: ${routes.length} patterns, ${answered.length} requests, nothing changed`);
});
