import { batch, computed, signal } from '@preact/signals';
import type { ImageSummary, ScanStatus, SecurityStatus } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { emptySelection, pruneSelection, type Selection } from './selection';

export type ImageFilters = {
  scanStatus: ScanStatus | '';
  securityStatus: SecurityStatus | '';
  highPriority: boolean;
  q: string;
  /** An engine name: only the images it holds. */
  server: string;
  sort: 'created' | 'size' | 'name' | 'lastScanned' | 'risk';
  order: 'asc' | 'desc';
};

export const defaultFilters: ImageFilters = { scanStatus: '', securityStatus: '', highPriority: false, q: '', server: '', sort: 'risk', order: 'desc' };

/** The helper pages at most 500 images per call. */
const PAGE = 500;

/**
 * The side panel's list: filters and sorting are done by the helper; this only keeps the
 * rows, the selection and which image is open.
 */
export function createImageListState(api: Api, onError: (error: unknown) => void = () => undefined) {
  const filters = signal<ImageFilters>(defaultFilters);
  const items = signal<ImageSummary[]>([]);
  const total = signal(0);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const selection = signal<Selection>(emptySelection);
  const openImageId = signal<string | null>(null);
  const order = computed(() => items.value.map((image) => image.id));
  const selectedIds = computed(() => [...selection.value.ids]);
  let generation = 0;

  function query(offset: number) {
    const f = filters.value;
    return {
      scanStatus: f.scanStatus || undefined,
      securityStatus: f.securityStatus || undefined,
      highPriority: f.highPriority ? 'true' : undefined,
      q: f.q.trim() || undefined,
      server: f.server || undefined,
      sort: f.sort,
      order: f.order,
      offset,
      limit: PAGE,
    };
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const first = await api.images(query(0));
      const rows = [...first.items];
      while (rows.length < first.total && mine === generation) {
        const page = await api.images(query(rows.length));
        if (!page.items.length) break;
        rows.push(...page.items);
      }
      if (mine !== generation) return;
      batch(() => {
        items.value = rows;
        total.value = first.total;
        error.value = null;
        selection.value = pruneSelection(selection.value, order.value);
      });
    } catch (e) {
      if (mine !== generation) return;
      error.value = describeError(e);
      onError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Replaces one row in place (live scan updates) without reloading the list. */
  function updateImage(image: ImageSummary): void {
    const index = items.value.findIndex((row) => row.id === image.id);
    if (index < 0) return;
    const next = items.value.slice();
    next[index] = image;
    items.value = next;
  }

  function setFilters(change: Partial<ImageFilters>): void {
    filters.value = { ...filters.value, ...change };
    void load();
  }

  return { filters, items, total, loading, error, selection, selectedIds, openImageId, order, load, updateImage, setFilters };
}

export type ImageListState = ReturnType<typeof createImageListState>;
