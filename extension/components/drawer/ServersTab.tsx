import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import { StatusBadge } from '../StatusBadge';

/**
 * Associated servers: the engines holding this image, with its tags and containers on each,
 * and whether each is online (live: `version` changes when an engine goes offline or back).
 */
export function ServersTab({ api, imageId, version = 0 }: { api: Api; imageId: string; version?: number }) {
  const servers = useResource(() => api.imageServers(imageId), [imageId, version]);
  const [q, setQ] = useState('');
  if (servers.error) return <p role="alert" class="error">{servers.error}</p>;
  if (!servers.data) return <p role="status">Loading…</p>;
  const needle = q.trim().toLowerCase();
  const shown = servers.data.filter((s) => !needle || [s.name, s.dockerVersion ?? '', s.context ?? '', ...s.ipAddresses].some((f) => f.toLowerCase().includes(needle)));
  return (
    <>
      <div class="filters">
        <input type="search" aria-label="Filter servers by name or IP" placeholder="Server name, IP or Docker version" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      {shown.length === 0 ? <p class="muted">No server matches.</p> : (
        <table class="simple">
          <thead><tr><th>Server</th><th>Status</th><th>Tags there</th><th>IP</th><th>Docker</th><th>Containers</th></tr></thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-server={s.name}>
                <td title={s.endpoint}>{s.name}</td>
                <td><StatusBadge value={s.online ? 'online' : 'offline'} detail={s.message} /></td>
                <td>{s.repoTags.join(', ') || '—'}</td>
                <td>{s.ipAddresses.join(', ') || '—'}</td>
                <td>{s.dockerVersion ?? '—'}</td>
                <td>{s.containers.running}/{s.containers.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
