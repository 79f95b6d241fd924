import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { useResource } from '../../lib/useResource';

/** Associated servers (the Docker hosts holding this image), with a name/IP filter. */
export function ServersTab({ api, imageId }: { api: Api; imageId: string }) {
  const servers = useResource(() => api.imageServers(imageId), [imageId]);
  const [q, setQ] = useState('');
  if (servers.error) return <p role="alert" class="error">{servers.error}</p>;
  if (!servers.data) return <p role="status">Loading…</p>;
  const needle = q.trim().toLowerCase();
  const shown = servers.data.filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.ipAddresses.some((ip) => ip.includes(needle)));
  return (
    <>
      <div class="filters">
        <input type="search" aria-label="Filter servers by name or IP" placeholder="Server name or IP" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      {shown.length === 0 ? <p class="muted">No server matches.</p> : (
        <table class="simple">
          <thead><tr><th>Server</th><th>IP</th><th>Docker</th><th>Status</th><th>Images</th><th>Containers</th></tr></thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id}><td>{s.name}</td><td>{s.ipAddresses.join(', ') || '—'}</td><td>{s.dockerVersion ?? '—'}</td><td>{s.online ? 'Online' : 'Offline'}</td><td>{s.imageCount}</td><td>{s.containerCount}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
