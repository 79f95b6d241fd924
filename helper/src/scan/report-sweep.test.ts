import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../state/store.ts';
import { testApp } from '../testing/test-app.ts';
import { createScanServices } from './services.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const ORPHAN = '11111111-2222-3333-4444-555555555555';

/** Scan services over `dataDir` (holding one unlisted report file), with `stateText` as state.json. */
async function startWith(stateText: string | null): Promise<{ dataDir: string; store: StateStore; logs: string[] }> {
  const base = await testApp();
  const dataDir = await mkdtemp(join(tmpdir(), 'report-sweep-'));
  await mkdir(join(dataDir, 'reports'));
  await writeFile(join(dataDir, 'reports', `${ORPHAN}.json`), '{"image":{"id":"sha256:x"},"packages":[],"notes":[]}');
  if (stateText !== null) await writeFile(join(dataDir, 'state.json'), stateText);
  const store = await StateStore.open(dataDir, { log: () => undefined });
  const logs: string[] = [];
  const scans = await createScanServices({ dataDir, store, inventory: base.inventory, bus: base.bus, dockerTarget: base.deps.dockerTarget, log: (l) => logs.push(l) });
  closers.push(async () => {
    await scans.stop();
    await store.flush();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { dataDir, store, logs };
}

describe('report files at start', () => {
  it('a report no image lists (left by a helper killed mid-record) is swept, and said', async () => {
    const { dataDir, logs } = await startWith(null);
    expect(await readdir(join(dataDir, 'reports'))).toEqual([]);
    expect(logs.join('\n')).toMatch(/removed 1 report file/);
  });

  it('reports are kept when the state file was invalid and started empty (it lists nothing, not "no reports")', async () => {
    const { dataDir, store } = await startWith('{"version": 1, "images": {"x": 42}}');
    expect(store.movedAside).toMatch(/state\.json\.corrupt-/);
    expect(await readdir(join(dataDir, 'reports'))).toEqual([`${ORPHAN}.json`]);
  });
});
