import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toImageInventory } from '../docker/map-image.ts';
import { fakeImage } from '../testing/fake-engine.ts';
import { until } from '../testing/wait.ts';
import { State } from './schema.ts';
import { StateStore } from './store.ts';

let dir: string;
const opened: StateStore[] = [];
const openStore = async (options?: Parameters<typeof StateStore.open>[1]): Promise<StateStore> => {
  const store = await StateStore.open(dir, options);
  opened.push(store);
  return store;
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-store-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.flush()));
  await rm(dir, { recursive: true, force: true });
});

const inventory = (hex: string, tags: string[] = []) => {
  const image = fakeImage(hex, { tags });
  return toImageInventory(image.inspect, image.history);
};
const readState = async () => State.parse(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')));

describe('StateStore', () => {
  it('starts empty, writes a valid versioned file (0600) and reads it back', async () => {
    const store = await openStore();
    expect(store.images()).toEqual([]);
    expect(store.upsertInventory(inventory('aa', ['x:1']))).toBe('added');
    await store.flush();
    const onDisk = await readState();
    expect(onDisk.version).toBe(1);
    expect(Object.keys(onDisk.images)).toEqual([`sha256:${'aa'.padEnd(64, '0')}`]);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    const again = await openStore();
    expect(again.images()[0]!.inventory.repoTags).toEqual(['x:1']);
  });

  it('reports added / changed / unchanged', async () => {
    const store = await openStore();
    expect(store.upsertInventory(inventory('aa', ['x:1']))).toBe('added');
    expect(store.upsertInventory(inventory('aa', ['x:1']))).toBe('unchanged');
    expect(store.upsertInventory(inventory('aa', ['x:1', 'x:2']))).toBe('changed');
  });

  it('keeps a scanned image\'s scan state while it is gone and gives it back when it returns', async () => {
    const store = await openStore();
    const inv = inventory('bb', ['y:1']);
    store.upsertInventory(inv);
    store.updateScan(inv.id, { scanStatus: 'scanned', securityStatus: 'at_risk', lastScanned: '2026-01-01T00:00:00.000Z' });
    expect(store.retireImage(inv.id)).toBe(true);
    expect(store.image(inv.id)).toBeUndefined();
    expect(store.state.retired[inv.id]?.scan.scanStatus).toBe('scanned');
    await store.flush();
    const reopened = await openStore();
    reopened.upsertInventory(inv);
    expect(reopened.image(inv.id)?.scan).toMatchObject({ scanStatus: 'scanned', securityStatus: 'at_risk' });
    expect(reopened.state.retired[inv.id]).toBeUndefined();
  });

  it('does not keep never-scanned images in the retired map', async () => {
    const store = await openStore();
    const inv = inventory('cc');
    store.upsertInventory(inv);
    store.retireImage(inv.id);
    expect(store.state.retired).toEqual({});
  });

  it('coalesces a burst of changes into few writes and leaves no temp files', async () => {
    const store = await openStore();
    for (let i = 0; i < 200; i++) store.upsertInventory(inventory(i.toString(16).padStart(4, '0')));
    await store.flush();
    expect(Object.keys((await readState()).images)).toHaveLength(200);
    expect((await readdir(dir)).sort()).toEqual(['state.json']);
  });

  it('moves an invalid state file aside instead of overwriting it', async () => {
    await writeFile(join(dir, 'state.json'), '{"version": 1, "images": {"x": 42}}');
    const lines: string[] = [];
    const store = await openStore({ log: (l) => lines.push(l) });
    expect(store.images()).toEqual([]);
    const files = await readdir(dir);
    const aside = files.find((f) => f.startsWith('state.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toContain('"x": 42');
    expect(lines.join('\n')).toMatch(/not valid/);
  });

  it('keeps keys other modules added to the state', async () => {
    await writeFile(join(dir, 'state.json'), JSON.stringify({ version: 1, images: {}, scheduledScan: { enabled: true } }));
    const store = await openStore();
    store.upsertInventory(inventory('dd'));
    await store.flush();
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).scheduledScan).toEqual({ enabled: true });
  });

  it('a read-only store never writes', async () => {
    const store = await openStore({ readOnly: true });
    store.upsertInventory(inventory('ee'));
    await store.flush();
    expect(await readdir(dir)).toEqual([]);
  });

  it('records a failed write, keeps the last good file, and writes again once it can', async () => {
    const store = await openStore({ log: () => undefined, retryMs: 20 });
    store.upsertInventory(inventory('ff'));
    await store.flush();
    await rm(dir, { recursive: true }); // the directory vanishes: the next write must fail cleanly
    store.upsertInventory(inventory('f0'));
    await store.flush();
    expect(store.lastWriteError).toBeInstanceOf(Error);
    await mkdir(dir);
    await until(() => store.lastWriteError === null);
    await store.flush();
    expect(Object.keys((await readState()).images)).toHaveLength(2);
  });

  it('flush (on shutdown) writes what a failed write left behind without waiting for the retry timer', async () => {
    const store = await openStore({ log: () => undefined, retryMs: 60_000 });
    await rm(dir, { recursive: true });
    store.upsertInventory(inventory('e1'));
    await new Promise((r) => setTimeout(r, 50));
    expect(store.lastWriteError).toBeInstanceOf(Error);
    await mkdir(dir);
    await store.flush();
    expect(store.lastWriteError).toBeNull();
    expect(Object.keys((await readState()).images)).toHaveLength(1);
  });

  it('persisted() resolves once a write holds the change, even while later changes keep coming; a failed write releases it', async () => {
    const store = await openStore({ log: () => undefined, retryMs: 60_000 });
    store.upsertInventory(inventory('c0'));
    const waiting = store.persisted();
    let churning = true;
    const churn = (async () => {
      for (let i = 1; churning; i++) {
        store.upsertInventory(inventory('c1', [`t:${i}`]));
        await new Promise((r) => setImmediate(r));
      }
    })();
    await waiting;
    expect(Object.keys((await readState()).images)).toContain(`sha256:${'c0'.padEnd(64, '0')}`);
    churning = false;
    await churn;
    await store.flush();
    await expect(store.persisted()).resolves.toBeUndefined();

    await rm(dir, { recursive: true });
    store.upsertInventory(inventory('c2'));
    await store.persisted();
    expect(store.lastWriteError).toBeInstanceOf(Error);
    await mkdir(dir);
  });
});
