import type { Server } from '@shipshape/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ServerListState } from '../state/servers';
import { StatusBadge } from './StatusBadge';

/**
 * The Docker engines the helper watches (associated servers): status filter and search by
 * name, IP, Docker version, OS or context, both done by the helper; live online/offline.
 * "Images" narrows the image list to one server.
 */
export function ServersView({ servers, onShowImages, onClose, debounceMs = 250 }: { servers: ServerListState; onShowImages(server: string): void; onClose(): void; debounceMs?: number }) {
  const filters = servers.filters.value;
  const [q, setQ] = useState(filters.q);
  useEffect(() => {
    if (q === servers.filters.peek().q) return;
    const timer = setTimeout(() => servers.setFilters({ q }), debounceMs);
    return () => clearTimeout(timer);
  }, [q]);
  const items = servers.items.value;
  const total = servers.all.value.length;

  return (
    <section class="servers" aria-labelledby="servers-title">
      <header class="toolbar">
        <h2 id="servers-title">
          Servers <span class="muted" data-testid="server-count">{items.length === total ? total : `${items.length} of ${total}`}</span>
        </h2>
        <button type="button" class="icon" aria-label="Close servers" onClick={onClose}>×</button>
      </header>
      <div class="filters" role="search">
        <input type="search" placeholder="Name, IP, Docker version, OS or context" aria-label="Search servers" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <label>
          Status{' '}
          <select aria-label="Server status" value={filters.status} onChange={(e) => servers.setFilters({ status: e.currentTarget.value as typeof filters.status })}>
            <option value="">All</option>
            <option value="online">Online</option>
            <option value="offline">Offline</option>
          </select>
        </label>
      </div>
      {servers.error.value && <p role="alert" class="error">Could not load the servers: {servers.error.value}</p>}
      {servers.loaded.value && items.length === 0 && <p class="muted">{total ? 'No server matches.' : 'The helper watches no engine.'}</p>}
      {items.length > 0 && (
        <div class="scroll-x">
          <table class="simple" aria-label="Servers">
            <thead>
              <tr><th>Server</th><th>Status</th><th>Endpoint</th><th>IP</th><th>Docker</th><th>OS</th><th>Context</th><th>Images</th><th>Containers</th><th /></tr>
            </thead>
            <tbody>{items.map((s) => <ServerRow key={s.id} server={s} onShowImages={onShowImages} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ServerRow({ server: s, onShowImages }: { server: Server; onShowImages(server: string): void }) {
  return (
    <tr data-server={s.name}>
      <td title={s.hostname ?? undefined}>{s.name}</td>
      <td><StatusBadge value={s.online ? 'online' : 'offline'} detail={s.message} /></td>
      <td><code>{s.endpoint}</code></td>
      <td>{s.ipAddresses.join(', ') || '—'}</td>
      <td>{s.dockerVersion ?? '—'}</td>
      <td>{s.os ?? '—'}</td>
      <td>{s.context ?? '—'}</td>
      <td>{s.imageCount}</td>
      <td>{s.containerCount}</td>
      <td><button type="button" class="link" onClick={() => onShowImages(s.name)} aria-label={`Show the images on ${s.name}`}>Images</button></td>
    </tr>
  );
}
