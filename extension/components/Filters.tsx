import { riskFilters, scanStatuses, securityStatuses } from '@shipshape/shared';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { activeFilterCount, noFilters, type ImageListState } from '../state/imageList';

const scanLabels: Record<string, string> = { not_scanned: 'Not scanned', scanning: 'Scanning', scanned: 'Scanned', cancelled: 'Cancelled', scan_exception: 'Scan failed' };
const securityLabels: Record<string, string> = { unknown: 'Unknown', safe: 'Safe', at_risk: 'At risk', incomplete: 'Incomplete (not fully checked)' };
const riskLabels: Record<string, string> = { vulnerabilities: 'Vulnerabilities', viruses: 'Viruses', trojans: 'Trojans', sensitive: 'Sensitive data' };

/**
 * Search, filters and sort of the image list; the helper does the filtering. On narrow pages
 * the filters fold under a "Filters" button (saying how many are on) beside the search box,
 * so they stay one click away without taking the list's room. The filter grid has room for
 * more filters: `children` (the server filter).
 */
export function Filters({ list, compact = false, debounceMs = 250, children }: { list: ImageListState; compact?: boolean; debounceMs?: number; children?: ComponentChildren }) {
  const filters = list.filters.value;
  const [q, setQ] = useState(filters.q);
  const [open, setOpen] = useState(false);
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => {
    if (q === list.filters.peek().q) return;
    const timer = setTimeout(() => list.setFilters({ q }), debounceMs);
    return () => clearTimeout(timer);
  }, [q]);
  const active = activeFilterCount(filters);
  const shown = !compact || open;

  return (
    <div class={`filters${compact ? ' compact' : ''}`} role="search">
      <div class="search-line">
        <input type="search" placeholder="Search name or ID" aria-label="Search images by name or ID" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        {compact && (
          <button type="button" aria-expanded={open} aria-controls="filter-grid" onClick={() => setOpen(!open)}>
            Filters{active ? ` (${active})` : ''} {open ? '▴' : '▾'}
          </button>
        )}
      </div>
      {shown && (
        <div class="filter-grid" id="filter-grid">
          <FilterSelect label="Scan status" value={filters.scanStatus} options={scanStatuses} labels={scanLabels} all="All" onChange={(scanStatus) => list.setFilters({ scanStatus })} />
          <FilterSelect label="Security" value={filters.securityStatus} options={securityStatuses} labels={securityLabels} all="All" onChange={(securityStatus) => list.setFilters({ securityStatus })} />
          <FilterSelect label="Risk found" value={filters.risk} options={riskFilters} labels={riskLabels} all="Any" onChange={(risk) => list.setFilters({ risk })} />
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
          <label class="check">
            <input type="checkbox" checked={filters.highPriority} onChange={(e) => list.setFilters({ highPriority: e.currentTarget.checked })} /> High priority only
          </label>
          {active > 0 && (
            <button type="button" class="link" onClick={() => list.setFilters(noFilters(filters))}>
              Reset filters
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** One filter: "All" (or "Any") and the values the helper knows. */
function FilterSelect<T extends string>(props: { label: string; value: T | ''; options: readonly T[]; labels: Record<string, string>; all: string; onChange(value: T | ''): void }) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T | '')}>
        <option value="">{props.all}</option>
        {props.options.map((option) => <option key={option} value={option}>{props.labels[option]}</option>)}
      </select>
    </label>
  );
}
