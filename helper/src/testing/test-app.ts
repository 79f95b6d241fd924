/** A complete app over a FakeEngine and a temporary data dir, for route unit tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../app.ts';
import { Pairing } from '../auth/pairing.ts';
import type { DockerEngine } from '../docker/engine.ts';
import type { DockerTarget } from '../docker/target.ts';
import { EngineRegistry } from '../engines/registry.ts';
import { unavailableEngine } from '../engines/unavailable-engine.ts';
import { EventBus } from '../events/bus.ts';
import { fakeMeta, Inventory } from '../inventory/inventory.ts';
import { StateStore } from '../state/store.ts';
import { FakeEngine } from './fake-engine.ts';

export const TEST_TOKEN = 'test-token-0123456789';
export const TEST_PORT = 7373;

export type TestAppOptions = {
  /** More fake engines besides `local`, by name (as if given with --engine). */
  engines?: string[];
  /** The environment engine additions read (DOCKER_CONFIG for contexts). */
  env?: NodeJS.ProcessEnv;
};

/**
 * `engines` holds every fake engine by name. Engines added through the API are fakes too:
 * unix:///fake/<anything>.sock answers (one FakeEngine per socket, in `engines`), any other
 * address is refused as unreachable.
 */
export async function testApp(setup: (engine: FakeEngine) => void = () => undefined, options: TestAppOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'shipshape-app-'));
  const engine = new FakeEngine();
  setup(engine);
  const engines = new Map<string, FakeEngine>([['local', engine]]);
  for (const name of options.engines ?? []) engines.set(name, new FakeEngine(name));
  const bus = new EventBus();
  const store = await StateStore.open(dataDir);
  const entries = [...engines].map(([name, e]) => ({ meta: { ...fakeMeta(name), source: name === 'local' ? ('default' as const) : ('config' as const) }, engine: e }));
  const inventory = new Inventory(entries, store, bus, { log: () => undefined, debounceMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  const connect = (target: DockerTarget): DockerEngine => {
    if (target.kind !== 'unix' || !target.socketPath.startsWith('/fake/')) return unavailableEngine(`${target.kind === 'unix' ? target.socketPath : target.host} is not reachable (ECONNREFUSED)`);
    const key = target.socketPath;
    let fake = engines.get(key);
    if (!fake) engines.set(key, (fake = new FakeEngine(key)));
    return fake;
  };
  const registry = new EngineRegistry(store, inventory, { env: options.env ?? {}, connect, log: () => undefined });
  const pairedOrigins: string[] = [];
  const logs: string[] = [];
  const deps: AppDeps = {
    version: '0.0.0-test',
    port: () => TEST_PORT,
    store,
    inventory,
    engine,
    engines: registry,
    bus,
    dockerTarget: { kind: 'unix', socketPath: '/var/run/docker.sock' },
    tokens: { verify: (token) => token === TEST_TOKEN },
    allowedOrigins: () => pairedOrigins,
    pairing: new Pairing({ token: () => TEST_TOKEN, onApproved: (origin) => pairedOrigins.splice(0, pairedOrigins.length, origin), log: (line) => logs.push(line) }),
  };
  const app = createApp(deps);
  await inventory.start();
  const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    app.request(path, { ...init, headers: { host: `127.0.0.1:${TEST_PORT}`, authorization: `Bearer ${TEST_TOKEN}`, ...init.headers } });
  return {
    app,
    deps,
    engine,
    engines,
    registry,
    bus,
    store,
    inventory,
    pairedOrigins,
    logs,
    request,
    json: async <T = unknown>(path: string, init?: RequestInit & { headers?: Record<string, string> }) => {
      const response = await request(path, init);
      return { status: response.status, body: (await response.json()) as T };
    },
    close: async () => {
      await inventory.stop();
      await store.flush();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

