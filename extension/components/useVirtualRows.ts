import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImageListState } from '../state/imageList';
import { clickRow } from '../state/selection';

/** Rows drawn beyond the viewport once the first rows are on screen (none before: they would only delay them). */
const OVERSCAN = 8;
/** Before the first measurement (and in happy-dom, which measures nothing): a typical side panel. */
const FALLBACK_HEIGHT = 640;

/**
 * What the table and the compact list share: only the rows in view (plus a margin) are in the
 * DOM, sized from `total` so the scroll bar is right while the rest of the list loads, and the
 * keyboard (↑/↓ move, Shift extends, Space toggles, Enter opens, Home/End, PgUp/PgDn, Ctrl+A).
 * The viewport's height comes from a ResizeObserver and the scroll position from scroll
 * events: nothing here reads layout, so rendering never forces one.
 */
export function useVirtualRows(list: ImageListState, rowHeight: number) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  const [active, setActive] = useState(0);
  const [overscan, setOverscan] = useState(0);
  useEffect(() => {
    let live = true;
    void list.shown.then(() => live && setOverscan(OVERSCAN));
    return () => {
      live = false;
    };
  }, [list]);
  const total = Math.max(list.total.value, list.items.value.length);
  const order = list.order.value;

  useEffect(() => {
    const element = viewport.current;
    if (!element || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(([entry]) => entry && entry.contentRect.height > 0 && setHeight(entry.contentRect.height));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + height) / rowHeight) + overscan);

  function moveTo(index: number, extend: boolean) {
    const loaded = list.items.peek().length;
    const next = Math.max(0, Math.min(loaded - 1, index));
    setActive(next);
    if (extend) {
      const current = list.selection.value;
      const anchored = current.anchor === null ? { ids: new Set([...current.ids, order[active] ?? '']), anchor: active } : current;
      list.selection.value = clickRow(anchored, order, next, { shift: true });
    }
    const top = next * rowHeight;
    let scrollTo: number | null = null;
    if (top < scrollTop) scrollTo = top;
    else if (top + rowHeight > scrollTop + height - rowHeight) scrollTo = top - height + 2 * rowHeight;
    if (scrollTo !== null && viewport.current) {
      viewport.current.scrollTop = Math.max(0, scrollTo);
      setScrollTop(Math.max(0, scrollTo));
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.target !== event.currentTarget) return; // keys on the rows' own controls
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1, event.shiftKey),
      ArrowUp: () => moveTo(active - 1, event.shiftKey),
      PageDown: () => moveTo(active + page, event.shiftKey),
      PageUp: () => moveTo(active - page, event.shiftKey),
      Home: () => moveTo(0, event.shiftKey),
      End: () => moveTo(order.length - 1, event.shiftKey),
      ' ': () => (list.selection.value = clickRow(list.selection.value, order, active, { toggle: true })),
      Enter: () => (list.openImageId.value = order[active] ?? null),
    };
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      list.selection.value = { ids: new Set(order), anchor: 0 };
      return;
    }
    const action = keys[event.key];
    if (action && order.length) {
      event.preventDefault();
      action();
    }
  }

  const viewportProps = {
    ref: viewport,
    tabIndex: 0,
    'aria-activedescendant': order[active] ? `row-${active}` : undefined,
    onScroll: (event: Event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop),
    onKeyDown,
  };
  return { viewportProps, first, last, total, active, setActive, spacerHeight: total * rowHeight };
}
