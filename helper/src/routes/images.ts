/** GET /api/images, /api/images/:id, /api/images/:id/containers. */
import { ContainerListQuery, ImageListQuery, type ContainerList, type ContainerSummary, type ImageDetail, type ImageList } from '@shipshape/shared';
import type Docker from 'dockerode';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { normaliseDate } from '../docker/map-image.ts';
import { HttpError } from '../http/errors.ts';
import { resolveImageParam } from '../http/resolve-image.ts';
import { validQuery } from '../http/validate.ts';
import type { Inventory } from '../inventory/inventory.ts';
import { filterImages, sortImages } from '../inventory/list.ts';
import { toDetail } from '../inventory/view.ts';

export function imagesRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const { store, inventory } = deps;

  app.get('/images', (c) => {
    inventory.requireDocker();
    const query = validQuery(c, ImageListQuery);
    requireKnownServer(inventory, query.server);
    const matching = sortImages(filterImages(store.images(), query), query.sort, query.order);
    const page = matching.slice(query.offset, query.offset + query.limit);
    const body: ImageList = {
      total: matching.length,
      items: page.map((r) => inventory.summary(r)),
    };
    return c.json(body);
  });

  app.get('/images/:id', (c) => {
    inventory.requireDocker();
    const record = resolveImageParam(c, store.images());
    const body: ImageDetail = toDetail(inventory.summary(record), record);
    return c.json(body);
  });

  app.get('/images/:id/containers', async (c) => {
    inventory.requireDocker();
    const query = validQuery(c, ContainerListQuery);
    const record = resolveImageParam(c, store.images());
    const q = query.q?.trim().toLowerCase();
    const containers = inventory
      .containersOnServers(record.inventory.id)
      .filter(({ container }) => !query.status || container.State === query.status)
      .filter(({ container }) => !q || container.Id.includes(q) || containerName(container).toLowerCase().includes(q));
    const items = await Promise.all(containers.map(({ server, container }) => toContainerSummary(container, server, inventory, deps.redact)));
    const body: ContainerList = { total: items.length, items };
    return c.json(body);
  });

  return app;
}

function containerName(container: Docker.ContainerInfo): string {
  return (container.Names?.[0] ?? '').replace(/^\//, '');
}

/** `?server=` must name an engine: a typo is a 400, not an empty list. */
function requireKnownServer(inventory: Inventory, server: string | undefined): void {
  if (server && !inventory.watcher(server)) {
    throw new HttpError(400, 'bad_request', `server: no engine named '${server}' (GET /api/servers lists them)`, 'server');
  }
}

/** The list call lacks start/finish times; inspect (on the container's own engine) gives them (last state change = the later one). */
async function toContainerSummary(container: Docker.ContainerInfo, server: string, inventory: Inventory, redact?: AppDeps['redact']): Promise<ContainerSummary> {
  const engine = inventory.watcher(server)?.engine;
  const inspect = engine ? await engine.inspectContainer(container.Id).catch(() => null) : null;
  const times = [inspect?.State?.StartedAt, inspect?.State?.FinishedAt].filter((t): t is string => !!t && !t.startsWith('0001-'));
  const lastStateChange = times.length ? times.map(normaliseDate).sort().at(-1)! : null;
  return {
    id: container.Id,
    name: containerName(container),
    imageId: container.ImageID,
    state: container.State,
    status: container.Status,
    command: redact ? redact.text(container.Command) : container.Command,
    created: new Date(container.Created * 1000).toISOString(),
    lastStateChange,
    serverId: server,
  };
}
