import type { Dashboard } from '@shipshape/shared';
import { describe, expect, it } from 'vitest';
import { defaultFilters } from './imageList';
import { activeCount, headerCounts } from './overview';

const dashboard = (incomplete = 0): Dashboard => ({
  totalImages: 12, imagesAtRisk: 3, imagesIncomplete: incomplete, highPriorityImages: 1,
  vulnerabilities: { critical: 1, high: 2, medium: 3, low: 0, unknown: 0, total: 6 }, viruses: 1, trojans: 0, sensitive: 4, lastScanTime: null, servers: [],
});

describe('headerCounts', () => {
  it('gives the six counts, each with the filter that lists its images (the sort is kept)', () => {
    const current = { ...defaultFilters, q: 'web', sort: 'name' as const, order: 'asc' as const };
    const counts = headerCounts(dashboard(), current);
    expect(counts.map((c) => [c.key, c.value])).toEqual([['atRisk', 3], ['total', 12], ['vulnerabilities', 6], ['viruses', 1], ['trojans', 0], ['sensitive', 4]]);
    const filters = Object.fromEntries(counts.map((c) => [c.key, c.filters]));
    expect(filters.atRisk).toEqual({ ...defaultFilters, sort: 'name', order: 'asc', securityStatus: 'at_risk' });
    expect(filters.viruses).toMatchObject({ risk: 'viruses', q: '', securityStatus: '' });
    expect(filters.total).toEqual({ ...defaultFilters, sort: 'name', order: 'asc' });
  });

  it('adds the incomplete images only when there are some', () => {
    expect(headerCounts(dashboard(2), defaultFilters).at(-1)).toMatchObject({ key: 'incomplete', value: 2, filters: { securityStatus: 'incomplete' } });
  });

  it('knows which count the list shows', () => {
    const counts = headerCounts(dashboard(), defaultFilters);
    expect(activeCount(counts, defaultFilters)).toBe('total');
    expect(activeCount(counts, { ...defaultFilters, risk: 'sensitive' })).toBe('sensitive');
    expect(activeCount(counts, { ...defaultFilters, risk: 'sensitive', q: 'x' })).toBeNull();
  });
});
