import { batch, computed, signal } from '@preact/signals';
import type { Server } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';

export type ServerFilters = { status: '' | 'online' | 'offline'; q: string };

/**
 * The engines (associated servers): every one (for the image list's server filter and the
 * counts) and the ones matching the Servers view's filters, which the helper applies.
 */
export function createServerListState(api: Api, onError: (error: unknown) => void = () => undefined) {
  const filters = signal<ServerFilters>({ status: '', q: '' });
  const all = signal<Server[]>([]);
  const items = signal<Server[]>([]);
  const error = signal<string | null>(null);
  const loaded = signal(false);
  const offline = computed(() => all.value.filter((s) => !s.online).length);
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    const mine = ++generation;
    const f = filters.peek();
    try {
      const [everything, matching] = await Promise.all([api.servers(), f.status || f.q.trim() ? api.servers({ status: f.status || undefined, q: f.q.trim() || undefined }) : null]);
      if (mine !== generation) return;
      batch(() => {
        all.value = everything.items;
        items.value = matching?.items ?? everything.items;
        error.value = null;
        loaded.value = true;
      });
    } catch (e) {
      if (mine !== generation) return;
      error.value = describeError(e);
      onError(e);
    }
  }

  /** Live changes (an engine going offline or coming back) come in bursts: one reload. */
  function reloadSoon(delayMs = 200): void {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), delayMs);
  }

  function setFilters(change: Partial<ServerFilters>): void {
    filters.value = { ...filters.value, ...change };
    void load();
  }

  return { filters, all, items, error, loaded, offline, load, reloadSoon, setFilters };
}

export type ServerListState = ReturnType<typeof createServerListState>;
