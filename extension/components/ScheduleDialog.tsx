import { scheduleFrequencies, type ScheduledScanSettings, type ScheduledScanState } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { formatTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { CategoryChoice, ScopeChoice } from './CategoryChoice';
import { Dialog } from './Dialog';
import { ImagePicker } from './ImagePicker';

const frequencyLabels: Record<string, string> = { daily: 'Every day', '7d': 'Every 7 days', '15d': 'Every 15 days', '30d': 'Every 30 days' };

/** Scheduled scan settings: on/off, frequency, time window (the helper's local time), categories, images. */
export function ScheduleDialog({ api, onClose }: { api: Api; onClose(): void }) {
  const state = useResource(() => api.schedule(), []);
  return (
    <Dialog title="Scheduled scan" onClose={onClose}>
      {state.error && <p role="alert" class="error">{state.error}</p>}
      {state.loading && !state.data && <p role="status">Loading…</p>}
      {state.data && <ScheduleForm api={api} state={state.data} onClose={onClose} />}
    </Dialog>
  );
}

function ScheduleForm({ api, state, onClose }: { api: Api; state: ScheduledScanState; onClose(): void }) {
  const [settings, setSettings] = useState<ScheduledScanSettings>(state.settings);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<ScheduledScanState | null>(null);
  const change = (patch: Partial<ScheduledScanSettings>) => setSettings((s) => ({ ...s, ...patch }));
  const all = settings.images === 'all';
  const lastRun = (saved ?? state).runs[0];
  const save = async () => {
    try {
      setSaved(await api.saveSchedule({ ...settings, endTime: settings.endTime || null }));
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label class="check">
        <input type="checkbox" checked={settings.enabled} onChange={(e) => change({ enabled: e.currentTarget.checked })} /> Scan on a schedule
      </label>
      <label>
        Frequency{' '}
        <select value={settings.frequency} onChange={(e) => change({ frequency: e.currentTarget.value as ScheduledScanSettings['frequency'] })}>
          {scheduleFrequencies.map((f) => <option key={f} value={f}>{frequencyLabels[f]}</option>)}
        </select>
      </label>
      <label>
        Start time <input type="time" required value={settings.startTime} onInput={(e) => change({ startTime: e.currentTarget.value })} />
      </label>
      <label>
        End time (optional) <input type="time" value={settings.endTime ?? ''} onInput={(e) => change({ endTime: e.currentTarget.value || null })} />
      </label>
      <CategoryChoice value={settings.categories} onChange={(categories) => change({ categories })} />
      <ScopeChoice name="schedule-scope" all={all} onChange={(isAll) => change({ images: isAll ? 'all' : [] as unknown as ScheduledScanSettings['images'] })} />
      {!all && <ImagePicker api={api} value={settings.images === 'all' ? [] : settings.images} onChange={(images) => change({ images: images as ScheduledScanSettings['images'] })} />}
      <p class="muted">
        Next run: {formatTime((saved ?? state).nextRun)}
        {lastRun && <> · Last run: {formatTime(lastRun.startedAt)} ({lastRun.outcome}{lastRun.reason ? `: ${lastRun.reason}` : ''})</>}
      </p>
      {error && <p role="alert" class="error">{error}</p>}
      {saved && <p role="status" class="ok">Schedule saved.</p>}
      <footer>
        <button type="button" onClick={onClose}>Close</button>
        <button type="submit" class="primary" disabled={settings.categories.length === 0 || (!all && settings.images.length === 0)}>Save</button>
      </footer>
    </form>
  );
}
