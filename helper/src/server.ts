/**
 * Starts the helper: data dir, token, state, the engines and their inventory, HTTP server on
 * 127.0.0.1 only.
 * `close()` stops accepting, ends the inventory watch and flushes state.
 */
import { serve, type ServerType } from '@hono/node-server';
import { join } from 'node:path';
import { createApp, type AppDeps } from './app.ts';
import { Pairing } from './auth/pairing.ts';
import { TokenStore, TOKEN_FILE } from './auth/token.ts';
import { LISTEN_HOST, type Config } from './config.ts';
import { EngineRegistry, initialEngines } from './engines/registry.ts';
import { EventBus } from './events/bus.ts';
import { Inventory } from './inventory/inventory.ts';
import type { Clock } from './schedule/clock.ts';
import { createScanServices } from './scan/services.ts';
import { loadMaskKey } from './secrets/mask-key.ts';
import { SecretRedactor } from './secrets/redactor.ts';
import { StateStore } from './state/store.ts';
import { HELPER_VERSION } from './version.ts';

export type RunningHelper = { url: string; port: number; deps: AppDeps; close(): Promise<void> };

/** `options.clock`: the time schedules and ignore expiries follow (tests drive one; default the system clock). */
export async function startHelper(config: Config, log: (line: string) => void = (l) => process.stderr.write(`shipshape: ${l}\n`), options: { clock?: Clock } = {}): Promise<RunningHelper> {
  const bus = new EventBus();
  const tokens = await TokenStore.open(config.dataDir, () => {
    log('API token rotated: every session ends');
    bus.emit('token.rotated', {});
  });
  const store = await StateStore.open(config.dataDir, { log });
  const entries = initialEngines(config, store, { log });
  const redactor = new SecretRedactor(loadMaskKey(config.dataDir)!);
  const inventory = new Inventory(entries, store, bus, { log, redact: (i) => redactor.inventory(i) });
  const remasked = inventory.redactStored();
  if (remasked > 0) log(`masked secrets in ${remasked} stored image record(s)`);
  const engines = new EngineRegistry(store, inventory, { log });
  const scans = await createScanServices({
    dataDir: config.dataDir,
    store,
    inventory,
    bus,
    layerSource: config.layerSource ?? 'auto',
    ...(config.scanWorkers ? { scanWorkers: config.scanWorkers } : {}),
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    importDirs: config.importDirs,
    clamd: config.clamd,
    dataUpdateDefaults: config.dataUpdate,
    // The user's rule file reaches the inventory's masks too; stored records are masked again.
    onSecretRules: (options, stamp) => {
      if (redactor.useRules(options, stamp)) inventory.redactStored();
    },
  });
  const configuredOrigins = config.extensionIds.map((id) => `chrome-extension://${id}`);
  let port = config.port;
  const deps: AppDeps = {
    version: HELPER_VERSION,
    port: () => port,
    store,
    inventory,
    engine: entries[0]!.engine,
    engines,
    bus,
    dockerTarget: config.docker,
    tokens,
    allowedOrigins: () => [...store.pairedOrigins(), ...configuredOrigins],
    scans,
    redact: { text: (t) => redactor.text(t) },
    pairing: new Pairing({ token: () => tokens.current(), onApproved: (origin) => store.setPairedOrigin(origin), log }),
  };
  const app = createApp(deps);
  await inventory.start();
  scans.start();

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: LISTEN_HOST }, (info) => {
      port = info.port;
      resolve(s);
    });
    s.once('error', reject);
  });
  // Slow or stuck clients must not hold sockets forever (SSE routes set their own keep-alive).
  (server as unknown as { headersTimeout: number; requestTimeout: number }).headersTimeout = 10_000;
  (server as unknown as { requestTimeout: number }).requestTimeout = 0;

  log(`helper ${HELPER_VERSION} listening on http://${LISTEN_HOST}:${port} (data dir ${config.dataDir}, token in ${join(config.dataDir, TOKEN_FILE)})`);
  return {
    url: `http://${LISTEN_HOST}:${port}`,
    port,
    deps,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      tokens.close();
      await scans.stop();
      await inventory.stop();
      await store.flush();
    },
  };
}
