import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvents } from '../events/bus.ts';
import { fakeImage } from '../testing/fake-engine.ts';
import { testApp } from '../testing/test-app.ts';
import { until } from '../testing/wait.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function setup() {
  current = await testApp((engine) => engine.addImage(fakeImage('a1', { tags: ['one:1'] })));
  const events: Array<[keyof BusEvents, unknown]> = [];
  for (const name of ['image.added', 'image.changed', 'image.removed', 'docker.status'] as const) {
    current.bus.on(name, (event) => events.push([name, event]));
  }
  return { t: current, events };
}


describe('Inventory', () => {
  it('syncs at start and follows load, tag, delete and container events', async () => {
    const { t, events } = await setup();
    expect(t.store.images().map((r) => r.inventory.repoTags)).toEqual([['one:1']]);

    const two = t.engine.addImage(fakeImage('b2', { tags: ['two:1'] }));
    t.engine.emit({ Type: 'image', Action: 'load', Actor: { ID: two } });
    await until(() => events.some(([n, e]) => n === 'image.added' && (e as { id: string }).id === two));

    t.engine.images.get(two)!.inspect.RepoTags = ['two:1', 'two:latest'];
    t.engine.emit({ Type: 'image', Action: 'tag', Actor: { ID: two } });
    await until(() => t.store.image(two)?.inventory.repoTags.length === 2);
    expect(events.some(([n]) => n === 'image.changed')).toBe(true);

    t.engine.addContainer(two, 'c1', 'running');
    t.engine.emit({ Type: 'container', Action: 'start', Actor: { ID: 'c1' } });
    await until(() => t.inventory.containerCounts(two).running === 1);

    t.engine.images.delete(two);
    t.engine.containers = [];
    t.engine.emit({ Type: 'image', Action: 'delete', Actor: { ID: two } });
    await until(() => t.store.image(two) === undefined);
    expect(events.some(([n, e]) => n === 'image.removed' && (e as { id: string }).id === two)).toBe(true);
  });

  it('inspects only images that are new or whose tags changed', async () => {
    const { t } = await setup();
    const before = t.engine.calls.inspectImage;
    await t.inventory.reconcile();
    await t.inventory.reconcile();
    expect(t.engine.calls.inspectImage).toBe(before);
  });

  it('notices the daemon leaving, reconnects with backoff, and resyncs what changed meanwhile', async () => {
    const { t, events } = await setup();
    t.engine.goAway();
    await until(() => !t.inventory.status.reachable);
    expect(events.some(([n, e]) => n === 'docker.status' && (e as { reachable: boolean }).reachable === false)).toBe(true);
    const three = t.engine.addImage(fakeImage('c3', { tags: ['three:1'] }));
    t.engine.comeBack();
    await until(() => t.inventory.status.reachable && !!t.store.image(three));
    expect(t.inventory.status.version).toBe('99.0.0');
  });

  it('coalesces a burst of events into few reconciles', async () => {
    const { t } = await setup();
    const before = t.engine.calls.listImages;
    for (let i = 0; i < 100; i++) t.engine.emit({ Type: 'container', Action: 'create' });
    await new Promise((r) => setTimeout(r, 100));
    expect(t.engine.calls.listImages - before).toBeLessThanOrEqual(3);
  });

  it('answers reconcile() even under a constant stream of events, and still catches up', async () => {
    const { t } = await setup();
    const flood = setInterval(() => t.engine.emit({ Type: 'container', Action: 'start' }), 1);
    try {
      await new Promise((r) => setTimeout(r, 20));
      const late = t.engine.addImage(fakeImage('d4', { tags: ['late:1'] }));
      await t.inventory.reconcile();
      await until(() => !!t.store.image(late));
    } finally {
      clearInterval(flood);
    }
  });
});
