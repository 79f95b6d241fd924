import type { ImageListState } from '../state/imageList';
import type { ServerListState } from '../state/servers';

/** The image list's server filter: shown once the helper watches more than one engine. */
export function ServerFilter({ list, servers }: { list: ImageListState; servers: ServerListState }) {
  const all = servers.all.value;
  const current = list.filters.value.server;
  if (all.length < 2 && !current) return null;
  return (
    <label>
      Server{' '}
      <select value={current} onChange={(e) => list.setFilters({ server: e.currentTarget.value })}>
        <option value="">All</option>
        {all.map((s) => (
          <option key={s.id} value={s.name}>{s.online ? s.name : `${s.name} (offline)`}</option>
        ))}
      </select>
    </label>
  );
}
