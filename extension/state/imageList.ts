import { batch, computed, signal } from '@preact/signals';
import type { ImageSummary, RiskFilter, ScanStatus, SecurityStatus } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { afterNextPaint } from '../lib/paint';
import { emptySelection, pruneSelection, type Selection } from './selection';

export type ImageFilters = {
  scanStatus: ScanStatus | '';
  securityStatus: SecurityStatus | '';
  highPriority: boolean;
  /** Only images whose latest scan found this kind of risk (a header count clicked). */
  risk: RiskFilter | '';
  q: string;
  /** An engine name: only the images it holds. */
  server: string;
  sort: 'created' | 'size' | 'name' | 'lastScanned' | 'risk';
  order: 'asc' | 'desc';
};

export const defaultFilters: ImageFilters = { scanStatus: '', securityStatus: '', highPriority: false, risk: '', q: '', server: '', sort: 'risk', order: 'desc' };

/** Every filter off, the sort kept: what "show all" and the header counts start from. */
export const noFilters = (f: ImageFilters): ImageFilters => ({ ...defaultFilters, sort: f.sort, order: f.order });

export const activeFilterCount = (f: ImageFilters): number =>
  [f.scanStatus, f.securityStatus, f.highPriority, f.risk, f.server, f.q.trim()].filter(Boolean).length;

/**
 * The first request asks for at most this many rows (the side panel asks for what fills its
 * height): more than a side panel or a tab shows, few enough to arrive, be checked and be drawn at once. The rest follow in pages of PAGE (the helper's
 * maximum), asked for together once the first page is on screen.
 */
export const FIRST_PAGE = 50;
const PAGE = 500;

type Options = {
  onError?: (error: unknown) => void;
  /** Rows in the first request (default FIRST_PAGE): the page asks for what fills its height. */
  firstPage?: number;
  /** Resolves once the first page is on screen; the rest of the list is asked for after it. */
  afterFirstPage?: () => Promise<void>;
};

const filtersKey = (f: ImageFilters) => JSON.stringify([f.scanStatus, f.securityStatus, f.highPriority, f.risk, f.q.trim(), f.sort, f.order]);

/**
 * The side panel's list: filters and sorting are done by the helper; this keeps the rows, the
 * selection and which image is open. A new list (first load, other filters) is drawn from its
 * first page while the rest loads behind it; a refresh of the same list swaps in the new rows
 * at once, so nothing the user is looking at goes blank. `items` is always a prefix of the
 * `total` rows, in order.
 */
export function createImageListState(api: Api, { onError = () => undefined, firstPage = FIRST_PAGE, afterFirstPage = afterNextPaint }: Options = {}) {
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
  let shownKey: string | null = null;

  function query(offset: number, limit: number) {
    const f = filters.value;
    return {
      scanStatus: f.scanStatus || undefined,
      securityStatus: f.securityStatus || undefined,
      highPriority: f.highPriority ? 'true' : undefined,
      risk: f.risk || undefined,
      q: f.q.trim() || undefined,
      server: f.server || undefined,
      sort: f.sort,
      order: f.order,
      offset,
      limit,
    };
  }

  let firstDrawn: () => void = () => undefined;
  /** Resolves once a first page is on screen (or the first load failed): later work can start. */
  const shown = new Promise<void>((resolve) => (firstDrawn = resolve));

  async function load(): Promise<void> {
    const mine = ++generation;
    const key = filtersKey(filters.value);
    const progressive = key !== shownKey || items.value.length === 0;
    const current = () => mine === generation;
    loading.value = true;
    try {
      const first = await api.images(query(0, progressive ? firstPage : PAGE));
      if (!current()) return;
      if (progressive) {
        batch(() => {
          items.value = first.items;
          total.value = first.total;
          error.value = null;
          shownKey = key;
        });
        await afterFirstPage();
        firstDrawn();
        if (!current()) return;
      }
      const offsets: number[] = [];
      for (let offset = first.items.length; offset < first.total; offset += PAGE) offsets.push(offset);
      const pages = await Promise.all(offsets.map((offset) => api.images(query(offset, PAGE))));
      if (!current()) return;
      const rows = [...first.items, ...pages.flatMap((page) => page.items)];
      batch(() => {
        items.value = rows;
        total.value = first.total;
        error.value = null;
        shownKey = key;
        selection.value = pruneSelection(selection.value, order.value);
      });
    } catch (e) {
      if (!current()) return;
      error.value = describeError(e);
      onError(e);
    } finally {
      firstDrawn();
      if (current()) loading.value = false;
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

  return { filters, items, total, loading, error, selection, selectedIds, openImageId, order, shown, load, updateImage, setFilters };
}

export type ImageListState = ReturnType<typeof createImageListState>;
