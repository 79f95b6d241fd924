import { scanStatuses, securityStatuses } from '@shipshape/shared';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ImageListState } from '../state/imageList';

const scanLabels: Record<string, string> = { not_scanned: 'Not scanned', scanning: 'Scanning', scanned: 'Scanned', cancelled: 'Cancelled', scan_exception: 'Scan failed' };
const securityLabels: Record<string, string> = { unknown: 'Unknown', safe: 'Safe', at_risk: 'At risk', incomplete: 'Incomplete' };

/** Filters and search of the image list; the helper does the filtering. `children`: more filters (the server filter). */
export function Filters({ list, debounceMs = 250, children }: { list: ImageListState; debounceMs?: number; children?: ComponentChildren }) {
  const filters = list.filters.value;
  const [q, setQ] = useState(filters.q);
  useEffect(() => {
    if (q === list.filters.peek().q) return;
    const timer = setTimeout(() => list.setFilters({ q }), debounceMs);
    return () => clearTimeout(timer);
  }, [q]);

  return (
    <div class="filters" role="search">
      <input type="search" placeholder="Search name or ID" aria-label="Search images by name or ID" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      <label>
        Scan status{' '}
        <select value={filters.scanStatus} onChange={(e) => list.setFilters({ scanStatus: e.currentTarget.value as typeof filters.scanStatus })}>
          <option value="">All</option>
          {scanStatuses.map((s) => <option key={s} value={s}>{scanLabels[s]}</option>)}
        </select>
      </label>
      <label>
        Security{' '}
        <select value={filters.securityStatus} onChange={(e) => list.setFilters({ securityStatus: e.currentTarget.value as typeof filters.securityStatus })}>
          <option value="">All</option>
          {securityStatuses.map((s) => <option key={s} value={s}>{securityLabels[s]}</option>)}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={filters.highPriority} onChange={(e) => list.setFilters({ highPriority: e.currentTarget.checked })} /> High priority only
      </label>
      {children}
      <label>
        Sort{' '}
        <select
          value={`${filters.sort}:${filters.order}`}
          onChange={(e) => {
            const [sort, order] = e.currentTarget.value.split(':') as [typeof filters.sort, typeof filters.order];
            list.setFilters({ sort, order });
          }}
        >
          <option value="risk:desc">Risk (highest first)</option>
          <option value="created:desc">Newest</option>
          <option value="created:asc">Oldest</option>
          <option value="name:asc">Name A–Z</option>
          <option value="name:desc">Name Z–A</option>
          <option value="size:desc">Largest</option>
          <option value="size:asc">Smallest</option>
          <option value="lastScanned:desc">Last scanned</option>
        </select>
      </label>
    </div>
  );
}
