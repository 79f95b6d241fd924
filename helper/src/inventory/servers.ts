/** Engines as the API's associated servers (GET /api/servers, /api/images/:id/servers, SSE). */
import type { ImageServer, Server, ServerListQuery } from '@shipshape/shared';
import type { ImageRecord } from '../state/schema.ts';
import type { StateStore } from '../state/store.ts';
import type { EngineWatcher } from './engine-watcher.ts';

export function describeServer(watcher: EngineWatcher, store: StateStore): Server {
  const { meta, status, info } = watcher;
  return {
    id: meta.name,
    name: meta.name,
    hostname: info?.name || null,
    endpoint: meta.endpoint,
    kind: meta.kind,
    context: meta.context,
    ipAddresses: watcher.addresses,
    dockerVersion: status.version ?? info?.serverVersion ?? null,
    os: info?.operatingSystem || null,
    online: status.online,
    message: status.online ? null : status.message,
    imageCount: store.imagesOn(meta.name).length,
    containerCount: watcher.allContainers().length,
  };
}

/** One server holding `record`, with the image's tags and containers there. */
export function describeImageServer(watcher: EngineWatcher, store: StateStore, record: ImageRecord): ImageServer {
  const refs = record.engines[watcher.name] ?? { repoTags: [], repoDigests: [] };
  return { ...describeServer(watcher, store), repoTags: refs.repoTags, repoDigests: refs.repoDigests, containers: watcher.containerCounts(record.inventory.id) };
}

/** `status` online/offline; `q` in the name, host name, endpoint, IPs, Docker version, OS or context. */
export function filterServers<T extends Server>(servers: T[], query: ServerListQuery): T[] {
  const q = query.q?.trim().toLowerCase();
  return servers.filter((s) => {
    if (query.status && s.online !== (query.status === 'online')) return false;
    if (!q) return true;
    const fields = [s.name, s.hostname ?? '', s.endpoint, s.dockerVersion ?? '', s.os ?? '', s.context ?? '', ...s.ipAddresses];
    return fields.some((f) => f.toLowerCase().includes(q));
  });
}
