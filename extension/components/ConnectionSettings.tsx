import { DEFAULT_HELPER_URL } from '@shipshape/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../state/connection';
import { ConnectionGate } from './ConnectionGate';
import { EnginesSettings } from './EnginesSettings';

/** Options page and first-run screen: the helper URL, pairing, and forgetting the pairing. */
export function ConnectionSettings({ state }: { state: ConnectionState }) {
  const [url, setUrl] = useState('');
  const stored = state.connection.value.helperUrl;
  useEffect(() => setUrl(stored), [stored]);
  const valid = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(url.trim());
  return (
    <>
      <form
        class="helper-url"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void state.setHelperUrl(url.trim().replace(/\/$/, ''));
        }}
      >
        <label>
          Helper URL <input type="url" value={url} placeholder={DEFAULT_HELPER_URL} onInput={(e) => setUrl(e.currentTarget.value)} aria-invalid={!valid} />
        </label>
        <button type="submit" disabled={!valid}>Save</button>
        {!valid && url && <p class="error">The helper only listens on this machine: http://127.0.0.1:PORT or http://localhost:PORT.</p>}
      </form>
      <ConnectionGate state={state}>
        <section class="notice" role="status">
          <h2>Paired</h2>
          <p>This browser is paired with the helper at {state.connection.value.helperUrl}. Open the Shipshape side panel to see your images.</p>
          <button type="button" onClick={() => void state.forget()}>Forget this pairing</button>
        </section>
        <EnginesSettings api={state.api} />
      </ConnectionGate>
    </>
  );
}
