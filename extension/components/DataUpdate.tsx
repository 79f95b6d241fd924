import type { DataUpdateStatus } from '@shipshape/shared';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { formatTime } from '../lib/format';

const phaseLabels: Record<string, string> = { inventory: 'Refreshing images', vulndb: 'Updating vulnerability data', rematch: 'Re-matching stored inventories' };

/** "Update data" with its progress; polls while the helper reports it running. */
export function DataUpdate({ api, live, onFinished }: { api: Api; live?: DataUpdateStatus | null; onFinished(): void }) {
  const [status, setStatus] = useState<DataUpdateStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = live ?? status;

  useEffect(() => {
    api.dataUpdate().then(setStatus, () => undefined);
  }, []);
  useEffect(() => {
    if (!current?.running) return;
    const timer = setInterval(() => {
      api.dataUpdate().then(
        (next) => {
          setStatus(next);
          if (!next.running) onFinished();
        },
        (e: unknown) => setError(describeError(e)),
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [current?.running]);

  const start = async () => {
    try {
      setStatus(await api.startDataUpdate());
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  };
  const percent = current?.running && current.total ? Math.round((current.done / current.total) * 100) : null;
  const last = current?.lastResult;
  return (
    <div class="data-update">
      <button type="button" disabled={current?.running} onClick={() => void start()}>
        {current?.running ? 'Updating data…' : 'Update data'}
      </button>
      {current?.running && (
        <span role="status">
          {phaseLabels[current.phase ?? ''] ?? 'Working'} <progress max={100} value={percent ?? undefined} aria-label="Data update progress" /> {percent !== null && `${percent}%`}
        </span>
      )}
      {!current?.running && last && (
        <span class="muted" title={last.reason ?? ''}>
          Data {last.outcome === 'success' ? 'updated' : 'update failed'} {formatTime(last.finishedAt)}
          {last.outcome === 'success' && ` · ${last.changedImages} image(s) changed`}
        </span>
      )}
      {error && <span role="alert" class="error">{error}</span>}
    </div>
  );
}
