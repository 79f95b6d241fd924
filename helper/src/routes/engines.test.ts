import type { DockerContextList, Engine, EngineList, ImageList, ServerList } from '@shipshape/shared';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DockerTarget } from '../docker/target.ts';
import { EngineRegistry, initialEngines } from '../engines/registry.ts';
import { EventBus } from '../events/bus.ts';
import { Inventory } from '../inventory/inventory.ts';
import { describeServer } from '../inventory/servers.ts';
import { StateStore } from '../state/store.ts';
import { FakeEngine, fakeImage } from '../testing/fake-engine.ts';
import { testApp } from '../testing/test-app.ts';
import { until } from '../testing/wait.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await current?.close();
  current = null;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dockerConfigWith(name: string, host: string) {
  const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  dirs.push(dir);
  const id = createHash('sha256').update(name).digest('hex');
  await mkdir(join(dir, 'contexts', 'meta', id), { recursive: true });
  await writeFile(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: 'a context' }, Endpoints: { docker: { Host: host } } }));
  return { DOCKER_CONFIG: dir };
}

const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('/api/engines', () => {
  it('lists the engines with their source and state, never a key path', async () => {
    current = await testApp(() => undefined, { engines: ['build'] });
    const list = await current.json<EngineList>('/api/engines');
    expect(list.body.items.map((e) => [e.name, e.source, e.online])).toEqual([
      ['local', 'default', true],
      ['build', 'config', true],
    ]);
  });

  it('adds an engine at run time: it connects, lists its images under it, and keeps it in the state', async () => {
    current = await testApp();
    const t = current;
    const added = await t.json<Engine>('/api/engines', post({ name: 'lab', url: 'unix:///fake/lab.sock' }));
    expect(added).toMatchObject({ status: 201, body: { name: 'lab', endpoint: 'unix:///fake/lab.sock', source: 'added', online: true } });
    const lab = t.engines.get('/fake/lab.sock')!;
    const id = lab.addImage(fakeImage('1ab', { tags: ['lab:1'] }));
    lab.emit({ Type: 'image', Action: 'load' });
    await until(() => !!t.store.image(id));
    expect((await t.json<ImageList>('/api/images?server=lab')).body.items.map((i) => i.servers)).toEqual([['lab']]);
    expect((await t.json<ServerList>('/api/servers')).body.items.map((s) => s.name)).toEqual(['local', 'lab']);
    expect(t.store.state.engines.added).toEqual([expect.objectContaining({ name: 'lab', url: 'unix:///fake/lab.sock', tlsDir: null, keyFile: null })]);

    expect(await t.json('/api/engines/lab', { method: 'DELETE' })).toMatchObject({ status: 200, body: { removed: 'lab' } });
    expect(t.store.image(id)).toBeUndefined();
    expect(t.store.state.engines.added).toEqual([]);
    expect((await t.json<EngineList>('/api/engines')).body.items.map((e) => e.name)).toEqual(['local']);
  });

  it('refuses with a 400 that says what to fix: duplicate name, plain tcp off loopback, unknown context, nothing there', async () => {
    current = await testApp(() => undefined, { engines: ['build'], env: await dockerConfigWith('staging', 'unix:///fake/staging.sock') });
    const t = current;
    const refusal = async (body: unknown) => {
      const answer = await t.json<{ error: { code: string; message: string; field?: string } }>('/api/engines', post(body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('bad_request');
      return answer.body.error;
    };
    expect(await refusal({ name: 'build', url: 'unix:///fake/other.sock' })).toMatchObject({ field: 'name', message: expect.stringMatching(/'build' exists already/) });
    expect(await refusal({ name: 'local', url: 'unix:///fake/other.sock' })).toMatchObject({ field: 'name' });
    expect(await refusal({ name: 'far', url: 'tcp://10.0.0.5:2375' })).toMatchObject({ field: 'url', message: expect.stringMatching(/plain tcp:\/\/10\.0\.0\.5:2375 .*unencrypted.*tls=DIR/) });
    expect(await refusal({ name: 'prod', context: 'prod' })).toMatchObject({ field: 'context', message: expect.stringMatching(/no Docker context named 'prod'.*there are: staging/) });
    expect(await refusal({ name: 'nobody', url: 'unix:///run/nobody-home.sock' })).toMatchObject({ field: 'url', message: expect.stringMatching(/could not connect to unix:\/\/\/run\/nobody-home\.sock: .*ECONNREFUSED/) });
    expect(await refusal({ name: 'certs', url: 'tcp://10.0.0.5:2376', tls: '/nonexistent/certs' })).toMatchObject({ field: 'tls', message: expect.stringMatching(/no ca\.pem/) });
    expect(await refusal({ name: 'bad name!', url: 'unix:///fake/x.sock' })).toMatchObject({ field: 'name' });
    expect(await refusal({ name: 'both', url: 'unix:///fake/x.sock', context: 'staging' })).toMatchObject({ field: 'url' });
    expect(await refusal({ name: 'plain', url: 'ssh://me@host', tls: '/x' })).toMatchObject({ message: expect.stringMatching(/key=FILE/) });
    expect(t.store.state.engines.added).toEqual([]);
    expect((await t.json<EngineList>('/api/engines')).body.items.map((e) => e.name)).toEqual(['local', 'build']);
  });

  it('adds an engine from a Docker context, once', async () => {
    current = await testApp(() => undefined, { env: await dockerConfigWith('staging', 'unix:///fake/staging.sock') });
    const t = current;
    expect((await t.json<DockerContextList>('/api/engines/contexts')).body.items).toEqual([
      { name: 'staging', description: 'a context', endpoint: 'unix:///fake/staging.sock', tls: false, current: false, engine: null },
    ]);
    const added = await t.json<Engine>('/api/engines', post({ name: 'stage', context: 'staging' }));
    expect(added).toMatchObject({ status: 201, body: { name: 'stage', context: 'staging', online: true } });
    expect((await t.json<DockerContextList>('/api/engines/contexts')).body.items[0]!.engine).toBe('stage');
    const again = await t.json<{ error: { message: string } }>('/api/engines', post({ name: 'stage2', context: 'staging' }));
    expect(again).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/watched already, as engine 'stage'/) } } });
  });

  it('removes only engines added at run time; configured ones are changed where they are set', async () => {
    current = await testApp(() => undefined, { engines: ['build'] });
    const t = current;
    expect(await t.json('/api/engines/build', { method: 'DELETE' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/--engine or SHIPSHAPE_ENGINES/) } } });
    expect(await t.json('/api/engines/local', { method: 'DELETE' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/default engine/) } } });
    expect((await t.json('/api/engines/nosuch', { method: 'DELETE' })).status).toBe(404);
    expect((await t.json('/api/engines/..%2Fx', { method: 'DELETE' })).status).toBe(400);
  });

  it('keeps key and TLS folder paths in the state, never in an answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engines-state-'));
    dirs.push(dir);
    const store = await StateStore.open(dir);
    store.updateEngines((e) => {
      e.added.push({ name: 'lab', url: 'ssh://me@lab.example', tlsDir: null, keyFile: '/home/me/.ssh/very-secret-key', context: null, addedAt: '2026-01-01T00:00:00Z' });
      e.added.push({ name: 'stage', url: 'tcp://10.0.0.5:2376', tlsDir: '/home/me/very-secret-certs', keyFile: null, context: null, addedAt: '2026-01-01T00:00:00Z' });
    });
    const targets: DockerTarget[] = [];
    const connect = (target: DockerTarget) => {
      targets.push(target);
      return new FakeEngine();
    };
    const inventory = new Inventory(initialEngines({ docker: { kind: 'unix', socketPath: '/var/run/docker.sock' }, engines: [] }, store, { connect }), store, new EventBus(), { log: () => undefined });
    await inventory.start();
    try {
      expect(targets.slice(1)).toEqual([
        { kind: 'ssh', host: 'lab.example', port: 22, user: 'me', keyFile: '/home/me/.ssh/very-secret-key' },
        { kind: 'tcp', host: '10.0.0.5', port: 2376, tlsDir: '/home/me/very-secret-certs' },
      ]);
      const registry = new EngineRegistry(store, inventory, { connect });
      const answers = JSON.stringify([registry.list(), inventory.watchers().map((w) => describeServer(w, store))]);
      expect(answers).toContain('ssh://me@lab.example');
      expect(answers).not.toContain('very-secret');
      expect(registry.list().map((e) => [e.name, e.tls, e.online])).toEqual([
        ['local', false, true],
        ['lab', false, true],
        ['stage', true, true],
      ]);
    } finally {
      await inventory.stop();
      await store.flush();
    }
  });
});
