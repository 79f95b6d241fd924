/** GET /api/servers and /api/images/:id/servers: the Docker host this helper watches. */
import type { Server, ServerList } from '@shipshape/shared';
import { Hono } from 'hono';
import { networkInterfaces } from 'node:os';
import type { AppDeps } from '../app.ts';
import { resolveImageParam } from '../http/resolve-image.ts';
import { SERVER_ID } from '../inventory/inventory.ts';

export function serversRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/servers', (c) => c.json({ items: [describeServer(deps)] } satisfies ServerList));

  app.get('/images/:id/servers', (c) => {
    resolveImageParam(c, deps.store.images());
    return c.json({ items: [describeServer(deps)] } satisfies ServerList);
  });

  return app;
}

export function describeServer(deps: AppDeps): Server {
  const { inventory } = deps;
  const info = inventory.info;
  return {
    id: SERVER_ID,
    name: info?.name || 'local Docker host',
    ipAddresses: hostAddresses(deps),
    dockerVersion: inventory.status.version ?? info?.serverVersion ?? null,
    os: info?.operatingSystem || null,
    online: inventory.status.reachable,
    imageCount: deps.store.images().length,
    containerCount: inventory.allContainers().length,
  };
}

/** A unix socket means this machine: its interface addresses; tcp means the remote host. */
function hostAddresses(deps: AppDeps): string[] {
  const target = deps.dockerTarget;
  if (target.kind === 'tcp') return [target.host];
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (!entry.internal) addresses.push(entry.address);
  }
  return addresses.length ? addresses : ['127.0.0.1'];
}
