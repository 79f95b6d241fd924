import { signal } from '@preact/signals';
import type { ServerEvent, VulnerabilityDataStatus } from '@shipshape/shared';
import type { Api } from '../lib/api';

/**
 * The helper's vulnerability data as health reports it (present, age, stale, updating): the
 * banner, the data-age lines and the drawer's "Not checked" lines read it. Reloaded when a
 * data update ends (event stream) or on `refresh()`.
 */
export function createVulnDataState(api: Api) {
  const status = signal<VulnerabilityDataStatus | null>(null);

  async function refresh(): Promise<void> {
    try {
      status.value = (await api.health()).vulnerabilityData;
    } catch {
      // The connection gate reports an unreachable helper; keep what we knew.
    }
  }

  function apply(event: ServerEvent): void {
    if (event.type !== 'data_update.progress') return;
    const current = status.peek();
    if (current && current.updating !== event.status.running) status.value = { ...current, updating: event.status.running };
    if (!event.status.running) void refresh();
  }

  return { status, refresh, apply };
}
export type VulnDataState = ReturnType<typeof createVulnDataState>;
