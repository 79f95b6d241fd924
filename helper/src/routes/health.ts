/** GET /api/health: the only route without a token; says as little as is useful. */
import type { Health } from '@shipshape/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';

export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => {
    const { reachable, version } = deps.inventory.status;
    const watchers = deps.inventory.watchers();
    const vulnerabilityData = deps.scans?.vulnerabilityData() ?? { present: false, records: 0, updatedAt: null, sources: [], stale: false, autoUpdate: 'off' as const, updating: false };
    const body: Health = {
      status: 'ok',
      version: deps.version,
      docker: { reachable, version: reachable ? version : null },
      engines: { total: watchers.length, online: watchers.filter((w) => w.status.online).length },
      vulnerabilityData,
    };
    return c.json(body);
  });
  return app;
}
