/**
 * No state changes on GET (issue 8): every GET route the app registers is called, with the
 * query forms the UI uses, and afterwards the state, the files in the data dir and the task
 * list are exactly as before. A route added later is covered without editing this test.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ScanTask } from '@shipshape/shared';
import { scanTestApp } from '../testing/scan-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

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
  const { base, scans, app, dataDir, headers, close } = await scanTestApp();
  closers.push(close);
  scans.start();
  const created = (await (await app.request('/api/scans', { method: 'POST', headers, body: JSON.stringify({ images: ['aaaa'] }) })).json()) as ScanTask;
  await scans.engine.waitForTask(created.id);
  await base.store.flush();
  await scans.history.flush(); // the scan's risk-history write is coalesced: let it land before the baseline

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
