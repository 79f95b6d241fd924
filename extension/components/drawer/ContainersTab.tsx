import { ContainerState } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';

/** Associated containers, each with the engine it runs on, filtered by state and name/ID (by the helper). */
export function ContainersTab({ api, imageId, version = 0 }: { api: Api; imageId: string; version?: number }) {
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const containers = useResource(() => api.containers(imageId, { status: status || undefined, q: q.trim() || undefined }), [imageId, status, q, version]);
  return (
    <>
      <div class="filters">
        <input type="search" aria-label="Filter containers by name or ID" placeholder="Container name or ID" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <label>
          State{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">All</option>
            {ContainerState.options.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      {containers.error && <p role="alert" class="error">{containers.error}</p>}
      {containers.data && containers.data.length === 0 && <p class="muted">No container uses this image{status || q ? ' with these filters' : ''}.</p>}
      {containers.data && containers.data.length > 0 && (
        <table class="simple">
          <thead><tr><th>Name</th><th>Server</th><th>ID</th><th>State</th><th>Status</th><th>Command</th><th>Created</th></tr></thead>
          <tbody>
            {containers.data.map((c) => (
              <tr key={`${c.serverId}/${c.id}`}><td>{c.name}</td><td>{c.serverId}</td><td><code>{c.id.slice(0, 12)}</code></td><td>{c.state}</td><td>{c.status}</td><td><code>{c.command}</code></td><td>{formatTime(c.created)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
