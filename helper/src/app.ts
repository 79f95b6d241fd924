/**
 * The HTTP API as a Hono app. Guards run before any route (Host, Origin/CORS, token, body
 * size); each route module is one sub-app mounted under /api. Add a module by adding its
 * `app.route('/api', …)` line below.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hostGuard, originGuard, tokenGuard } from './auth/guards.ts';
import type { Pairing } from './auth/pairing.ts';
import type { DockerTarget } from './docker/client.ts';
import type { DockerEngine } from './docker/engine.ts';
import type { EngineRegistry } from './engines/registry.ts';
import type { EventBus } from './events/bus.ts';
import { errorBody, errorResponse } from './http/errors.ts';
import { DEFAULT_BODY_LIMIT } from './http/validate.ts';
import type { Inventory } from './inventory/inventory.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { DATA_UPLOAD_PATH } from './routes/data-update.ts';
import { enginesRoutes } from './routes/engines.ts';
import { healthRoutes } from './routes/health.ts';
import { imagesRoutes } from './routes/images.ts';
import { mountScanRoutes } from './routes/scans-mount.ts';
import { pairRoutes } from './routes/pair.ts';
import { serversRoutes } from './routes/servers.ts';
import type { ScanServices } from './scan/services.ts';
import type { StateStore } from './state/store.ts';

export type AppDeps = {
  version: string;
  /** The port the server listens on (the Host check needs it). */
  port: () => number;
  store: StateStore;
  inventory: Inventory;
  /** The default engine (`local`); every engine is in `inventory.watchers()`. */
  engine: DockerEngine;
  /** Adding and removing engines at run time (absent in tests of one fake engine). */
  engines?: EngineRegistry;
  bus: EventBus;
  /** The default engine's address. */
  dockerTarget: DockerTarget;
  tokens: { verify(token: string): boolean };
  /** Browser origins allowed in: paired extensions plus configured ones. */
  allowedOrigins: () => readonly string[];
  /** Scans, reports, schedule, licensing, data update, export, events (absent in inventory-only tests). */
  scans?: ScanServices;
  /** Masks detected secrets in texts taken live from Docker (container commands). */
  redact?: { text(text: string): string };
  pairing: Pairing;
};

/** Routes whose bodies are streamed to disk with their own size cap (routes/data-update.ts). */
export const streamedBodyPaths: ReadonlySet<string> = new Set([DATA_UPLOAD_PATH]);

/** Routes an unpaired extension may reach (extension/PAIRING.md). */
export const pairingPaths: ReadonlySet<string> = new Set(['/api/pair/request', '/api/pair/status']);

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`), 404));

  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use('*', hostGuard(deps.port));
  app.use('*', originGuard(deps.allowedOrigins, pairingPaths));
  app.use('*', tokenGuard((token) => deps.tokens.verify(token)));
  const limit = bodyLimit({
    maxSize: DEFAULT_BODY_LIMIT,
    onError: (c) => c.json(errorBody('payload_too_large', `request body over ${DEFAULT_BODY_LIMIT} bytes`), 413),
  });
  // A file upload streams to disk under its own cap; every other body is small JSON.
  app.use('*', (c, next) => (streamedBodyPaths.has(c.req.path) ? next() : limit(c, next)));

  app.route('/api', healthRoutes(deps));
  app.route('/api', imagesRoutes(deps));
  app.route('/api', serversRoutes(deps));
  if (deps.engines) app.route('/api', enginesRoutes(deps.engines));
  app.route('/api', dashboardRoutes(deps));
  app.route('/api', pairRoutes(deps));
  if (deps.scans) mountScanRoutes(app, deps, deps.scans);
  return app;
}
