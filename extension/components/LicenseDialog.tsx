import { useState } from 'preact/hooks';
import type { LicenseResponse } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { formatTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { Dialog } from './Dialog';

/** License pool status, assign/revoke for the selected images, and the assignment log. */
export function LicenseDialog({ api, selected, onChanged, onClose }: { api: Api; selected: string[]; onChanged(): void; onClose(): void }) {
  const state = useResource(() => api.licenses(), []);
  const events = useResource(() => api.licenseEvents(), []);
  const [result, setResult] = useState<LicenseResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: 'assign' | 'revoke') => {
    try {
      setResult(await api.changeLicenses({ images: selected, action }));
      setError(null);
      state.reload();
      events.reload();
      onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const pool = result?.state ?? state.data;
  return (
    <Dialog title="License" onClose={onClose}>
      {state.error && <p role="alert" class="error">{state.error}</p>}
      {pool && (
        <p data-testid="license-pool">
          {pool.poolSize === null ? 'Unlimited pool' : `Pool of ${pool.poolSize}`} · {pool.used} in use
          {pool.available !== null && ` · ${pool.available} left`} · new images {pool.autoLicense ? 'licensed automatically' : 'need a license'}
        </p>
      )}
      <p>{selected.length ? `${selected.length} image(s) selected.` : 'Select images in the list to assign or revoke licenses.'}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={!selected.length} onClick={() => void act('assign')}>Assign</button>
        <button type="button" disabled={!selected.length} onClick={() => void act('revoke')}>Revoke</button>
      </div>
      {result?.rejected.length ? (
        <ul class="error">{result.rejected.map((r) => <li key={r.imageId}>{r.imageId.slice(0, 19)}: {r.reason}</li>)}</ul>
      ) : null}
      {error && <p role="alert" class="error">{error}</p>}
      <h3>Recent changes</h3>
      <ul class="log">
        {(events.data?.items ?? []).slice(0, 20).map((event, i) => (
          <li key={i}>{formatTime(event.at)} · {event.action.replace('_', ' ')} · {event.images.length} image(s)</li>
        ))}
        {events.data && events.data.items.length === 0 && <li class="muted">No license changes yet.</li>}
      </ul>
    </Dialog>
  );
}
