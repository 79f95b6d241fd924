import type { ContainerList, Dashboard, ImageDetail, ImageList, ImageServerList, ServerList } from '@shipshape/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvents } from '../events/bus.ts';
import { fakeImage } from '../testing/fake-engine.ts';
import { fakeMeta, Inventory } from './inventory.ts';
import { testApp } from '../testing/test-app.ts';
import { until } from '../testing/wait.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

const shared = fakeImage('5a', { tags: ['app:1'] });
const sharedId = shared.inspect.Id;

/** `local` and `build` both hold app (with their own tags); `build` also holds tool:1, `edge` holds nothing yet. */
async function threeEngines() {
  current = await testApp((local) => local.addImage(fakeImage('5a', { tags: ['app:1'] })), { engines: ['build', 'edge'] });
  const build = current.engines.get('build')!;
  build.addImage(fakeImage('5a', { tags: ['app:1', 'registry.example/app:1'] }));
  const toolId = build.addImage(fakeImage('70', { tags: ['tool:1'] }));
  build.emit({ Type: 'image', Action: 'load' });
  await until(() => !!current!.store.image(toolId) && current!.store.image(sharedId)?.engines.build !== undefined);
  const events: Array<[keyof BusEvents, unknown]> = [];
  for (const name of ['image.added', 'image.changed', 'image.removed', 'engine.changed', 'engine.removed'] as const) current.bus.on(name, (e) => events.push([name, e]));
  return { t: current, build, toolId, events };
}

describe('one inventory across engines', () => {
  it('lists an image ID once, with the engines holding it and each engine\'s own tags', async () => {
    const { t, toolId } = await threeEngines();
    const list = await t.json<ImageList>('/api/images');
    expect(list.body.total).toBe(2);
    const app = list.body.items.find((i) => i.id === sharedId)!;
    expect(app.servers).toEqual(['local', 'build']);
    expect(app.repoTags).toEqual(['app:1', 'registry.example/app:1']);
    expect(list.body.items.find((i) => i.id === toolId)!.servers).toEqual(['build']);

    const onServers = await t.json<ImageServerList>(`/api/images/${sharedId.slice(7, 19)}/servers`);
    expect(onServers.body.items.map((s) => [s.name, s.repoTags])).toEqual([
      ['local', ['app:1']],
      ['build', ['app:1', 'registry.example/app:1']],
    ]);
    expect((await t.json<ImageList>('/api/images?server=build')).body.total).toBe(2);
    expect((await t.json<ImageList>('/api/images?server=local')).body.items.map((i) => i.id)).toEqual([sharedId]);
    expect((await t.json<ImageList>('/api/images?server=edge')).body.total).toBe(0);
    expect(await t.json('/api/images?server=nosuch')).toMatchObject({ status: 400, body: { error: { field: 'server', message: expect.stringMatching(/no engine named 'nosuch'/) } } });
  });

  it('names the engine of each container and sums container counts over engines', async () => {
    const { t, build } = await threeEngines();
    t.engine.addContainer(sharedId, 'web-local', 'running');
    build.addContainer(sharedId, 'web-build', 'exited');
    t.engine.emit({ Type: 'container', Action: 'start' });
    build.emit({ Type: 'container', Action: 'create' });
    await until(() => t.inventory.containerCounts(sharedId).total === 2);
    const containers = await t.json<ContainerList>(`/api/images/${sharedId}/containers`);
    expect(containers.body.items.map((c) => [c.name, c.serverId]).sort()).toEqual([
      ['web-build', 'build'],
      ['web-local', 'local'],
    ]);
    const detail = await t.json<ImageDetail>(`/api/images/${sharedId}`);
    expect(detail.body.containers).toEqual({ running: 1, total: 2 });
    const servers = await t.json<ImageServerList>(`/api/images/${sharedId}/servers`);
    expect(servers.body.items.map((s) => [s.name, s.containers.total])).toEqual([
      ['local', 1],
      ['build', 1],
    ]);
  });

  it('keeps the others going when one engine goes away, and resyncs it when it is back', async () => {
    const { t, build, toolId, events } = await threeEngines();
    build.goAway();
    await until(() => !t.inventory.watcher('build')!.status.online);
    expect(events.some(([n, e]) => n === 'engine.changed' && (e as { name: string }).name === 'build')).toBe(true);
    // Its images stay listed as last seen, the server says offline; the others keep syncing.
    const list = await t.json<ImageList>('/api/images');
    expect(list.status).toBe(200);
    expect(list.body.items.find((i) => i.id === toolId)!.servers).toEqual(['build']);
    const offline = await t.json<ServerList>('/api/servers?status=offline');
    expect(offline.body.items.map((s) => [s.name, s.online])).toEqual([['build', false]]);
    await until(() => /ECONNREFUSED/.test(t.inventory.watcher('build')!.status.message ?? '')); // after its first retry
    expect((await t.json<ServerList>('/api/servers?status=offline')).body.items[0]!.message).toMatch(/ECONNREFUSED/);
    const late = t.engine.addImage(fakeImage('1a7e', { tags: ['late:1'] }));
    t.engine.emit({ Type: 'image', Action: 'load' });
    await until(() => !!t.store.image(late));

    // While away, build dropped tool:1; coming back resyncs without a restart.
    build.images.delete(toolId);
    build.comeBack();
    await until(() => t.inventory.watcher('build')!.status.online && !t.store.image(toolId));
    expect(events.some(([n, e]) => n === 'image.removed' && (e as { id: string }).id === toolId)).toBe(true);
    expect(t.store.state.retired[toolId]).toBeUndefined(); // never scanned: nothing to keep
    expect((await t.json<ServerList>('/api/servers?status=online')).body.items.map((s) => s.name)).toEqual(['local', 'build', 'edge']);
  });

  it('answers 503 only when no engine answers', async () => {
    const { t, build } = await threeEngines();
    for (const e of [t.engine, build, t.engines.get('edge')!]) e.goAway();
    await until(() => !t.inventory.status.reachable);
    const answer = await t.json<{ error: { code: string; message: string } }>('/api/images');
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toMatch(/local: .*build: .*edge: /);
    t.engines.get('edge')!.comeBack();
    await until(() => t.inventory.status.reachable);
    expect((await t.json('/api/images')).status).toBe(200);
  });

  it('keeps an image while another engine still holds it; the last engine leaving retires it', async () => {
    const { t, build, events } = await threeEngines();
    t.store.updateScan(sharedId, { scanStatus: 'scanned', securityStatus: 'safe' });
    build.images.delete(sharedId);
    build.emit({ Type: 'image', Action: 'delete' });
    await until(() => t.store.image(sharedId)?.engines.build === undefined);
    expect(t.store.image(sharedId)!.inventory.repoTags).toEqual(['app:1']);
    expect(events.some(([n]) => n === 'image.removed')).toBe(false);
    t.engine.images.delete(sharedId);
    t.engine.emit({ Type: 'image', Action: 'delete' });
    await until(() => !t.store.image(sharedId));
    expect(t.store.state.retired[sharedId]?.scan.securityStatus).toBe('safe');
  });

  it('counts the dashboard across engines (each image once) and per engine', async () => {
    const { t, toolId } = await threeEngines();
    t.store.updateScan(toolId, { securityStatus: 'at_risk', risks: { vulnerabilities: { critical: 2, high: 0, medium: 0, low: 0, unknown: 0 }, viruses: 0, trojans: 0, sensitive: 0 } });
    const dashboard = (await t.json<Dashboard>('/api/dashboard')).body;
    expect(dashboard).toMatchObject({ totalImages: 2, imagesAtRisk: 1, vulnerabilities: { critical: 2 } });
    expect(dashboard.servers.map((s) => [s.server, s.totalImages, s.imagesAtRisk, s.vulnerabilities.critical])).toEqual([
      ['local', 1, 0, 0],
      ['build', 2, 1, 2],
      ['edge', 0, 0, 0],
    ]);
  });

  it('inspects an image ID held by several engines once when they start together', async () => {
    const images = Array.from({ length: 12 }, (_, i) => fakeImage(`c${i.toString(16)}`, { tags: [`shared:${i}`] }));
    current = await testApp((local) => images.forEach((image) => local.addImage(structuredClone(image))), { engines: ['build', 'edge'] });
    const t = current;
    // testApp starts the engines before this line: fill the other two, then start again from an empty state.
    for (const name of ['build', 'edge']) images.forEach((image) => t.engines.get(name)!.addImage(structuredClone(image)));
    await t.inventory.stop();
    for (const record of t.store.images()) t.store.retireImage(record.inventory.id);
    for (const e of t.engines.values()) e.calls.inspectImage = 0;
    const again = new Inventory([...t.engines].map(([name, engine]) => ({ meta: fakeMeta(name), engine })), t.store, t.bus, { log: () => undefined });
    await again.start();
    try {
      expect(t.store.images()).toHaveLength(12);
      expect(t.store.images().every((r) => Object.keys(r.engines).length === 3)).toBe(true);
      expect([...t.engines.values()].reduce((sum, e) => sum + e.calls.inspectImage, 0)).toBe(12);
    } finally {
      await again.stop();
    }
  });

  it('filters servers by status and by name, endpoint, IP, Docker version or OS', async () => {
    const { t, build } = await threeEngines();
    build.goAway();
    await until(() => !t.inventory.watcher('build')!.status.online);
    const names = async (query: string) => (await t.json<ServerList>(`/api/servers${query}`)).body.items.map((s) => s.name);
    expect(await names('')).toEqual(['local', 'build', 'edge']);
    expect(await names('?status=online')).toEqual(['local', 'edge']);
    expect(await names('?q=99.0')).toEqual(['local', 'build', 'edge']); // an offline engine keeps its last known version
    expect(await names('?q=99.0&status=offline')).toEqual(['build']);
    expect(await names('?q=EDG')).toEqual(['edge']);
    expect(await names('?q=fake%20os&status=online')).toEqual(['local', 'edge']);
    expect(await names('?q=nothing-like-this')).toEqual([]);
    expect((await t.json('/api/servers?status=gone')).status).toBe(400);
    expect((await t.json(`/api/images/${sharedId}/servers?status=offline`)).body).toMatchObject({ items: [{ name: 'build', online: false }] });
  });
});
