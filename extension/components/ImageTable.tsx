import type { ImageColumn } from '@shipshape/shared';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ImageFilters, ImageListState } from '../state/imageList';
import { clickRow } from '../state/selection';
import { columnDefs } from './columns';

export const ROW_HEIGHT = 34;
const OVERSCAN = 8;
/** happy-dom and hidden panels report no height; assume a typical side panel. */
const FALLBACK_HEIGHT = 640;

/** Columns the helper can sort by, and its sort key. */
const sortable: Partial<Record<ImageColumn, ImageFilters['sort']>> = {
  name: 'name',
  size: 'size',
  created: 'created',
  lastScanned: 'lastScanned',
  priorityScore: 'risk',
};

/**
 * The image list as a grid that renders only the rows in view (1,000+ images stay fast).
 * Keyboard: ↑/↓ move, Shift+↑/↓ extend, Space toggles, Enter opens, Home/End, Ctrl+A.
 */
export function ImageTable({ list, columns }: { list: ImageListState; columns: ImageColumn[] }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  const [active, setActive] = useState(0);
  const items = list.items.value;
  const order = list.order.value;
  const selection = list.selection.value;

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const measure = () => setHeight(element.clientHeight || FALLBACK_HEIGHT);
    measure();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    observer?.observe(element);
    return () => observer?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  // Every row and the header share one track list and one minimum width, so the columns line
  // up whatever each row holds; only the name column grows into the space left.
  const template = `2.2rem ${columns.map((c) => (c === 'name' ? `minmax(${columnDefs[c].width}rem, 1fr)` : `${columnDefs[c].width}rem`)).join(' ')}`;
  const minWidth = `${2.2 + columns.reduce((sum, c) => sum + columnDefs[c].width + 0.5, 0) + 1}rem`;

  function moveTo(index: number, extend: boolean) {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setActive(next);
    if (extend) {
      const current = list.selection.value;
      const anchored = current.anchor === null ? { ids: new Set([...current.ids, order[active] ?? '']), anchor: active } : current;
      list.selection.value = clickRow(anchored, order, next, { shift: true });
    }
    const element = viewport.current;
    if (element) {
      const top = next * ROW_HEIGHT;
      const view = element.clientHeight || FALLBACK_HEIGHT;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + ROW_HEIGHT > element.scrollTop + view - ROW_HEIGHT) element.scrollTop = top - view + 2 * ROW_HEIGHT;
      setScrollTop(element.scrollTop);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.target !== event.currentTarget) return; // keys on the header's own controls
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1, event.shiftKey),
      ArrowUp: () => moveTo(active - 1, event.shiftKey),
      PageDown: () => moveTo(active + page, event.shiftKey),
      PageUp: () => moveTo(active - page, event.shiftKey),
      Home: () => moveTo(0, event.shiftKey),
      End: () => moveTo(items.length - 1, event.shiftKey),
      ' ': () => (list.selection.value = clickRow(list.selection.value, order, active, { toggle: true })),
      Enter: () => (list.openImageId.value = order[active] ?? null),
    };
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      list.selection.value = { ids: new Set(order), anchor: 0 };
      return;
    }
    const action = keys[event.key];
    if (action && items.length) {
      event.preventDefault();
      action();
    }
  }

  const filters = list.filters.value;
  const allSelected = items.length > 0 && selection.ids.size === items.length;

  return (
    <div class="table" role="grid" aria-label="Images" aria-rowcount={items.length + 1} aria-multiselectable="true">
      <div
        class="viewport"
        ref={viewport}
        tabIndex={0}
        aria-activedescendant={order[active] ? `row-${active}` : undefined}
        onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="row header" role="row" style={{ gridTemplateColumns: template, minWidth }}>
          <span role="columnheader">
            <input
              type="checkbox"
              aria-label="Select all images"
              checked={allSelected}
              onChange={() => (list.selection.value = allSelected ? { ids: new Set(), anchor: null } : { ids: new Set(order), anchor: 0 })}
            />
          </span>
          {columns.map((column) => {
            const sortKey = sortable[column];
            const sorted = sortKey && filters.sort === sortKey;
            return (
              <span role="columnheader" key={column} aria-sort={sorted ? (filters.order === 'asc' ? 'ascending' : 'descending') : undefined}>
                {sortKey ? (
                  <button
                    type="button"
                    class="link"
                    onClick={() => list.setFilters({ sort: sortKey, order: sorted && filters.order === 'desc' ? 'asc' : 'desc' })}
                  >
                    {columnDefs[column].label} {sorted ? (filters.order === 'asc' ? '↑' : '↓') : ''}
                  </button>
                ) : (
                  columnDefs[column].label
                )}
              </span>
            );
          })}
        </div>
        <div class="spacer" style={{ height: `${items.length * ROW_HEIGHT}px`, minWidth }}>
          {items.slice(first, last).map((image, offset) => {
            const index = first + offset;
            const selected = selection.ids.has(image.id);
            return (
              <div
                key={image.id}
                id={`row-${index}`}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={selected}
                data-image-id={image.id}
                class={`row${selected ? ' selected' : ''}${index === active ? ' active' : ''}`}
                style={{ gridTemplateColumns: template, top: `${index * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` }}
                onClick={(event) => {
                  setActive(index);
                  list.selection.value = clickRow(list.selection.value, order, index, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey });
                }}
                onDblClick={() => (list.openImageId.value = image.id)}
              >
                <span role="gridcell">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select ${image.name}`}
                    checked={selected}
                    onClick={(event) => {
                      event.stopPropagation();
                      setActive(index);
                      list.selection.value = clickRow(list.selection.value, order, index, { shift: event.shiftKey, toggle: true });
                    }}
                  />
                </span>
                {columns.map((column) =>
                  column === 'name' ? (
                    <span role="gridcell" key={column}>
                      <button type="button" class="link" tabIndex={-1} onClick={(event) => { event.stopPropagation(); list.openImageId.value = image.id; }}>
                        {columnDefs.name.render(image)}
                      </button>
                    </span>
                  ) : (
                    <span role="gridcell" key={column}>{columnDefs[column].render(image)}</span>
                  ),
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
