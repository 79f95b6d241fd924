import type { ImageSummary } from '@shipshape/shared';
import { formatAge, formatBytes, splitImageName } from '../lib/format';
import type { ImageListState } from '../state/imageList';
import { clickRow } from '../state/selection';
import { RiskChips } from './RiskChips';
import { COMPACT_ROW_HEIGHT } from './rowHeights';
import { StatusBadge } from './StatusBadge';
import { useVirtualRows } from './useVirtualRows';

/**
 * The image list at side-panel widths: each image is a compact row (name and tag, size and
 * age, scan status, security status, risk chips) that fits 320 px without scrolling sideways.
 * The row opens the drawer; its check box selects (Shift-click for a range).
 */
export function CompactList({ list }: { list: ImageListState }) {
  const { viewportProps, first, last, total, active, setActive, spacerHeight } = useVirtualRows(list, COMPACT_ROW_HEIGHT);
  const items = list.items.value;
  const order = list.order.value;
  const selection = list.selection.value;
  const allSelected = items.length > 0 && selection.ids.size === items.length;
  const loadingFrom = Math.max(first, items.length);

  const select = (index: number, event: MouseEvent) => {
    event.stopPropagation();
    setActive(index);
    list.selection.value = clickRow(list.selection.value, order, index, { shift: event.shiftKey, toggle: true });
  };

  return (
    <div class="clist" role="grid" aria-label="Images" aria-rowcount={total} aria-multiselectable="true" aria-busy={items.length < total}>
      <div class="clist-head">
        <label class="check">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={() => (list.selection.value = allSelected ? { ids: new Set(), anchor: null } : { ids: new Set(order), anchor: 0 })}
          />{' '}
          Select all
        </label>
        <span class="muted small">{items.length < total ? `${items.length} of ${total} loaded` : `${total} image${total === 1 ? '' : 's'}`}</span>
      </div>
      <div class="viewport" {...viewportProps}>
        <div class="spacer" style={{ height: `${spacerHeight}px` }}>
          {items.slice(first, last).map((image, offset) => {
            const index = first + offset;
            return (
              <CompactRow
                key={image.id}
                image={image}
                index={index}
                selected={selection.ids.has(image.id)}
                active={index === active}
                onOpen={() => {
                  setActive(index);
                  list.openImageId.value = image.id;
                }}
                onSelect={(event) => select(index, event)}
              />
            );
          })}
          {Array.from({ length: Math.max(0, last - loadingFrom) }, (_, offset) => (
            <div key={`loading-${loadingFrom + offset}`} role="row" class="crow loading" style={{ top: `${(loadingFrom + offset) * COMPACT_ROW_HEIGHT}px`, height: `${COMPACT_ROW_HEIGHT}px` }}>
              <span role="gridcell" class="muted">Loading…</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

type RowProps = { image: ImageSummary; index: number; selected: boolean; active: boolean; onOpen(): void; onSelect(event: MouseEvent): void };

function CompactRow({ image, index, selected, active, onOpen, onSelect }: RowProps) {
  return (
    <div
      id={`row-${index}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-image-id={image.id}
      class={`crow${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      style={{ top: `${index * COMPACT_ROW_HEIGHT}px`, height: `${COMPACT_ROW_HEIGHT}px` }}
      onClick={onOpen}
    >
      <span role="gridcell" class="crow-check">
        <input type="checkbox" tabIndex={-1} aria-label={`Select ${image.name}`} checked={selected} onClick={onSelect} />
      </span>
      <span role="gridcell" class="crow-line">
        <span class="crow-name" title={image.name}>
          {image.highPriority && <span class="priority" title="High priority">▲ </span>}
          <ImageName name={image.name} />
        </span>
        <span class="crow-status">
          <StatusBadge value={image.scanStatus} detail={image.scanError} />
          <StatusBadge value={image.securityStatus} />
        </span>
      </span>
      <span role="gridcell" class="crow-line">
        <span class="crow-meta muted">
          {formatBytes(image.size)} · {formatAge(image.created)}
        </span>
        <RiskChips image={image} />
      </span>
    </div>
  );
}

/** The name with its tag always shown: the registry and path prefix gives way first. */
function ImageName({ name }: { name: string }) {
  const { prefix, base, tag } = splitImageName(name);
  return (
    <>
      {prefix && <span class="name-prefix">{prefix}</span>}
      <span class="name-base">{base}</span>
      <span class="name-tag">{tag}</span>
    </>
  );
}
