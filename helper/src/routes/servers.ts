/**
 * GET /api/servers and /api/images/:id/servers: the engines (associated servers) with name,
 * endpoint, IPs, Docker version, OS, context, online state and counts; `status` and `q` filter.
 */
import { ServerListQuery, type ImageServerList, type ServerList } from '@shipshape/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { resolveImageParam } from '../http/resolve-image.ts';
import { validQuery } from '../http/validate.ts';
import { describeImageServer, describeServer, filterServers } from '../inventory/servers.ts';

export function serversRoutes({ inventory, store }: AppDeps): Hono {
  const app = new Hono();

  app.get('/servers', (c) => {
    const query = validQuery(c, ServerListQuery);
    const items = filterServers(inventory.watchers().map((w) => describeServer(w, store)), query);
    return c.json({ items } satisfies ServerList);
  });

  app.get('/images/:id/servers', (c) => {
    const query = validQuery(c, ServerListQuery);
    const record = resolveImageParam(c, store.images());
    const holders = inventory.watchers().filter((w) => record.engines[w.name]);
    const items = filterServers(holders.map((w) => describeImageServer(w, store, record)), query);
    return c.json({ items } satisfies ImageServerList);
  });

  return app;
}
