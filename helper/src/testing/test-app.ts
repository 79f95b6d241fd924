/** A complete app over a FakeEngine and a temporary data dir, for route unit tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../app.ts';
import { Pairing } from '../auth/pairing.ts';
import { EventBus } from '../events/bus.ts';
import { Inventory } from '../inventory/inventory.ts';
import { StateStore } from '../state/store.ts';
import { FakeEngine } from './fake-engine.ts';

export const TEST_TOKEN = 'test-token-0123456789';
export const TEST_PORT = 7373;

export async function testApp(setup: (engine: FakeEngine) => void = () => undefined) {
  const dataDir = await mkdtemp(join(tmpdir(), 'shipshape-app-'));
  const engine = new FakeEngine();
  setup(engine);
  const bus = new EventBus();
  const store = await StateStore.open(dataDir);
  const inventory = new Inventory(engine, store, bus, { log: () => undefined, debounceMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  const pairedOrigins: string[] = [];
  const logs: string[] = [];
  const deps: AppDeps = {
    version: '0.0.0-test',
    port: () => TEST_PORT,
    store,
    inventory,
    engine,
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
