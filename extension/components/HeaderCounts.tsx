import type { ComponentChildren } from 'preact';
import type { Dashboard } from '@shipshape/shared';
import type { ImageFilters } from '../state/imageList';
import { activeCount, headerCounts } from '../state/overview';

/**
 * The header counts of the side panel (images at risk, images, vulnerabilities, viruses,
 * trojans, sensitive data; incomplete images when there are some), each a button that filters
 * the list to the images behind it; pressing the active one again shows every image.
 * `aside` is the header's slot for a chart beside the counts (the risk trend), folded under a
 * summary line on narrow pages.
 */
export function HeaderCounts(props: { dashboard: Dashboard | null; filters: ImageFilters; onFilter(filters: ImageFilters): void; aside?: ComponentChildren; compact?: boolean }) {
  const { dashboard, filters, onFilter, aside, compact = false } = props;
  const counts = dashboard ? headerCounts(dashboard, filters) : [];
  const active = activeCount(counts, filters);
  const all = counts.find((count) => count.key === 'total');
  return (
    <section class="overview" aria-label="Risk overview">
      <div class="counts" role="group" aria-label="Filter the list by count">
        {!dashboard && <span class="muted small">Loading counts…</span>}
        {counts.map((count) => (
          <button
            key={count.key}
            type="button"
            class={`count-tile count-${count.key}${count.hot ? ' hot' : ''}`}
            aria-pressed={active === count.key}
            data-count={count.key}
            title={`${count.value} ${count.describe}: show ${count.key === 'total' ? 'every image' : 'these images'}`}
            onClick={() => onFilter(active === count.key && all ? all.filters : count.filters)}
          >
            <span class="count-value">{count.value.toLocaleString()}</span>
            <span class="count-label">{count.label}</span>
          </button>
        ))}
      </div>
      {aside &&
        (compact ? (
          // A side panel has no room to spare above the list: the chart is one click away.
          <details class="overview-aside">
            <summary>Risk over the last 30 days</summary>
            {aside}
          </details>
        ) : (
          <div class="overview-aside">{aside}</div>
        ))}
    </section>
  );
}
