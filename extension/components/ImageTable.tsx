import type { ImageColumn } from '@shipshape/shared';
import type { ImageFilters, ImageListState } from '../state/imageList';
import { clickRow } from '../state/selection';
import { columnDefs } from './columns';
import { TABLE_ROW_HEIGHT as ROW_HEIGHT } from './rowHeights';
import { useVirtualRows } from './useVirtualRows';

/** Columns the helper can sort by, and its sort key. */
const sortable: Partial<Record<ImageColumn, ImageFilters['sort']>> = {
  name: 'name',
  size: 'size',
  created: 'created',
  lastScanned: 'lastScanned',
  priorityScore: 'risk',
};

/**
 * The image list as a table with the chosen columns (wide pages), rendering only the rows in
 * view (1,000+ images stay fast). Click selects, Shift/Ctrl-click extend, the name opens.
 */
export function ImageTable({ list, columns }: { list: ImageListState; columns: ImageColumn[] }) {
  const { viewportProps, first, last, total, active, setActive, spacerHeight } = useVirtualRows(list, ROW_HEIGHT);
  const items = list.items.value;
  const order = list.order.value;
  const selection = list.selection.value;
  // Every row and the header share one track list and one minimum width, so the columns line
  // up whatever each row holds; only the name column grows into the space left.
  const template = `2.2rem ${columns.map((c) => (c === 'name' ? `minmax(${columnDefs[c].width}rem, 1fr)` : `${columnDefs[c].width}rem`)).join(' ')}`;
  const minWidth = `${2.2 + columns.reduce((sum, c) => sum + columnDefs[c].width + 0.5, 0) + 1}rem`;

  const filters = list.filters.value;
  const allSelected = items.length > 0 && selection.ids.size === items.length;

  return (
    <div class="table" role="grid" aria-label="Images" aria-rowcount={total + 1} aria-multiselectable="true" aria-busy={items.length < total}>
      <div class="viewport" {...viewportProps}>
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
        <div class="spacer" style={{ height: `${spacerHeight}px`, minWidth }}>
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
          {Array.from({ length: Math.max(0, last - Math.max(first, items.length)) }, (_, offset) => {
            const index = Math.max(first, items.length) + offset;
            return (
              <div key={`loading-${index}`} role="row" aria-rowindex={index + 2} class="row loading" style={{ top: `${index * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` }}>
                <span role="gridcell" class="muted">Loading…</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
