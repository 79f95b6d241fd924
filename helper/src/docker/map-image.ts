/** Docker's image inspect + history → the inventory record kept in state. */
import type Docker from 'dockerode';
import type { HistoryEntry } from './engine.ts';
import { attributeHistory } from './history.ts';
import type { ImageInventory } from '../state/schema.ts';

export function toImageInventory(inspect: Docker.ImageInspectInfo, history: HistoryEntry[]): ImageInventory {
  const config = (inspect.Config ?? {}) as { Env?: string[] | null; Labels?: Record<string, string> | null };
  const diffIds = inspect.RootFS?.Layers ?? [];
  return {
    id: inspect.Id,
    repoTags: [...(inspect.RepoTags ?? [])].filter((t) => t !== '<none>:<none>').sort(),
    repoDigests: [...(inspect.RepoDigests ?? [])].filter((d) => !d.startsWith('<none>@')).sort(),
    size: inspect.Size,
    created: normaliseDate(inspect.Created),
    os: inspect.Os ?? '',
    architecture: inspect.Architecture ?? '',
    author: inspect.Author ?? '',
    layerCount: diffIds.length,
    history: attributeHistory(history, diffIds),
    diffIds,
    env: config.Env ?? [],
    labels: config.Labels ?? {},
  };
}

/** Docker's RFC 3339 with nanoseconds → ISO 8601 with milliseconds (sortable as a string). */
export function normaliseDate(value: string | undefined): string {
  const time = value ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? new Date(0).toISOString() : new Date(time).toISOString();
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
