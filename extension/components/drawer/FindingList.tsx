import type { ComponentChildren } from 'preact';
import type { ScanStatus } from '@shipshape/shared';
import type { Resource } from '../../lib/useResource';

type ListAnswer<T> = { total: number; items: T[]; scanStatus: ScanStatus; reportId: string | null };

/**
 * Loading, error, "not scanned" and empty states, then one expandable entry per finding.
 * `gap`: the category was not (fully) checked; said instead of `empty`, or above what was found.
 */
export function FindingList<T>({ resource, empty, gap, children }: { resource: Resource<ListAnswer<T>>; empty: string; gap?: ComponentChildren; children(item: T, index: number): ComponentChildren }) {
  if (resource.error) return <p role="alert" class="error">{resource.error}</p>;
  if (!resource.data) return <p role="status">Loading…</p>;
  if (!resource.data.reportId) return <p class="muted">No scan result yet. Scan the image to see this list.</p>;
  if (resource.data.items.length === 0) return gap ? <>{gap}</> : <p class="muted">{empty}</p>;
  return (
    <>
      {gap}
      <p class="muted" data-testid="finding-total">{resource.data.total} found</p>
      <ul class="findings">{resource.data.items.map((item, i) => <li key={i}>{children(item, i)}</li>)}</ul>
    </>
  );
}
