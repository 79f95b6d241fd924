import { ageInWords, STALE_DATA_DAYS } from '@shipshape/shared';
import { useEffect, useRef } from 'preact/hooks';
import type { Api } from '../lib/api';
import { useDataUpdateAction } from '../lib/useDataUpdateAction';
import type { VulnDataState } from '../state/vulnData';

/** Advisory files the helper imports (OSV zip/JSON/JSONL, Alpine secdb, Debian DSA/DLA lists). */
const IMPORTABLE = '.zip,.json,.jsonl,.gz,.txt,.list';

/**
 * Where verdicts are shown (popup, side panel): no vulnerability data means no image can be
 * judged for vulnerabilities, so the user is told at once, with the two ways to fix it; data
 * older than a week gets a warning with "Update data".
 */
/** `onUpdate`: "Update data" opens the Update data dialog (its progress per source) instead of updating at once. */
export function VulnDataBanner({ api, data, onUpdate, onUpdated }: { api: Api; data: VulnDataState; onUpdate?(): void; onUpdated?(): void }) {
  const action = useDataUpdateAction(api, () => {
    void data.refresh();
    onUpdated?.();
  });
  const picker = useRef<HTMLInputElement>(null);
  const status = data.status.value;
  useEffect(() => void data.refresh(), [data]);
  // Without the event stream (the popup) the end of a running update is seen by polling.
  useEffect(() => {
    if (!status?.updating) return;
    const timer = setInterval(() => void data.refresh(), 2000);
    return () => clearInterval(timer);
  }, [status?.updating]);
  if (!status) return null;

  const buttons = (
    <span class="actions">
      <button type="button" class="primary" disabled={action.busy || status.updating} onClick={() => (onUpdate ? onUpdate() : void action.update())}>
        Update data
      </button>
      <button type="button" disabled={action.busy || status.updating} onClick={() => picker.current?.click()}>
        Import file…
      </button>
      <input
        ref={picker}
        type="file"
        accept={IMPORTABLE}
        hidden
        aria-label="Vulnerability data file to import"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void action.importFile(file);
        }}
      />
    </span>
  );
  const progress = (action.busy || status.updating) && <span role="status">Updating vulnerability data…</span>;
  const message = action.message && <span class={action.message.error ? 'error' : 'ok'} role={action.message.error ? 'alert' : 'status'}>{action.message.text}</span>;

  if (!status.present) {
    return (
      <section class="banner banner-error" aria-label="Vulnerability data" data-testid="no-data-banner">
        <strong role="alert">No vulnerability data: images cannot be judged for vulnerabilities</strong>
        {buttons}
        {progress}
        {message}
      </section>
    );
  }
  if (status.stale) {
    return (
      <section class="banner banner-warn" aria-label="Vulnerability data" data-testid="stale-data-banner">
        <strong>Vulnerability data is more than {STALE_DATA_DAYS} days old{status.updatedAt ? ` (updated ${ageInWords(status.updatedAt)})` : ''}: findings may be missing.</strong>
        {buttons}
        {progress}
        {message}
      </section>
    );
  }
  return message ? <section class="banner">{message}</section> : null;
}

/** "Vulnerability data updated 3 days ago", beside every verdict. */
export function DataAge({ data }: { data: VulnDataState }) {
  const status = data.status.value;
  if (!status) return null;
  if (!status.present) return <p class="data-age stale" data-testid="data-age">No vulnerability data{status.updating ? ' (fetching it now…)' : ''}</p>;
  return (
    <p class={`data-age${status.stale ? ' stale' : ''}`} data-testid="data-age" title={status.sources.map((s) => `${s.name}: ${s.records} records, ${ageInWords(s.updatedAt)}`).join('\n')}>
      Vulnerability data updated {status.updatedAt ? ageInWords(status.updatedAt) : 'at an unknown time'}
      {status.stale && ' (out of date)'}
    </p>
  );
}
