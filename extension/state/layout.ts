import { signal } from '@preact/signals';

/**
 * From this width the list is the full table with chosen columns ("Open in tab", a wide side
 * panel); below it each image is a compact row, the drawer covers the panel and the toolbar's
 * secondary actions sit in a menu. Side panels are 320–600 px wide.
 */
export const WIDE_LAYOUT_MIN_PX = 900;

/**
 * Whether the page is wide enough for the table. A media query, not a measurement: no layout
 * is forced to know it, and it is right before the first paint.
 */
export function createLayoutState(view: Pick<Window, 'matchMedia'> | undefined = typeof window === 'undefined' ? undefined : window) {
  const query = view?.matchMedia?.(`(min-width: ${WIDE_LAYOUT_MIN_PX}px)`);
  const wide = signal(query?.matches ?? true);
  const onChange = (event: { matches: boolean }) => (wide.value = event.matches);
  query?.addEventListener?.('change', onChange);
  return { wide, dispose: () => query?.removeEventListener?.('change', onChange) };
}

export type LayoutState = ReturnType<typeof createLayoutState>;
