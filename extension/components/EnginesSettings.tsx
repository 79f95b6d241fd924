import type { DockerContext, Engine } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { useResource } from '../lib/useResource';
import { StatusBadge } from './StatusBadge';

/** An engine name the helper accepts, from a context name. */
const engineNameFor = (context: string) => context.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'engine';

/**
 * Settings: the Docker engines the helper watches, and adding one from the user's Docker
 * contexts (`docker context ls`). The helper connects before it answers; its refusal (a wrong
 * CA, a host that does not answer) is shown as it says it.
 */
export function EnginesSettings({ api }: { api: Api }) {
  const [version, setVersion] = useState(0);
  const engines = useResource(() => api.engines(), [version]);
  const contexts = useResource(() => api.dockerContexts(), [version]);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const reload = () => setVersion((v) => v + 1);

  const act = async (key: string, work: () => Promise<string>) => {
    setBusy(key);
    try {
      setMessage({ text: await work() });
      reload();
    } catch (e) {
      setMessage({ text: describeError(e), error: true });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="engines-settings" aria-labelledby="engines-title">
      <h2 id="engines-title">Docker engines</h2>
      {engines.error && <p role="alert" class="error">{engines.error}</p>}
      {engines.data && (
        <table class="simple" aria-label="Engines">
          <thead><tr><th>Name</th><th>Endpoint</th><th>Status</th><th>From</th><th /></tr></thead>
          <tbody>
            {engines.data.items.map((e: Engine) => (
              <tr key={e.name}>
                <td>{e.name}</td>
                <td><code>{e.endpoint}</code>{e.tls ? ' (TLS)' : ''}</td>
                <td><StatusBadge value={e.online ? 'online' : 'offline'} detail={e.message} /></td>
                <td>{e.context ? `context ${e.context}` : e.source === 'default' ? 'DOCKER_HOST' : e.source === 'config' ? '--engine' : 'added'}</td>
                <td>
                  {e.source === 'added' && (
                    <button type="button" disabled={busy !== null} onClick={() => void act(`remove:${e.name}`, async () => (await api.removeEngine(e.name), `Removed ${e.name}.`))}>Remove</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Add from a Docker context</h3>
      {contexts.error && <p role="alert" class="error">{contexts.error}</p>}
      {contexts.data && contexts.data.items.length === 0 && (
        <p class="muted">No Docker context on the helper's machine (<code>docker context create NAME --docker host=…</code> makes one).</p>
      )}
      {contexts.data && contexts.data.items.length > 0 && (
        <ul class="contexts">
          {contexts.data.items.map((c: DockerContext) => (
            <li key={c.name} data-context={c.name}>
              <strong>{c.name}</strong> <code>{c.endpoint}</code>{c.tls ? ' (TLS)' : ''}{c.current ? ' · current' : ''}{c.description ? ` · ${c.description}` : ''}{' '}
              {c.engine ? (
                <span class="muted">watched as {c.engine}</span>
              ) : (
                <button type="button" disabled={busy !== null} onClick={() => void act(`add:${c.name}`, async () => `Added ${(await api.addEngine({ name: engineNameFor(c.name), context: c.name })).name}.`)}>
                  {busy === `add:${c.name}` ? 'Connecting…' : `Add ${c.name}`}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {message && <p class={message.error ? 'error' : 'ok'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}
