import { signal } from '@preact/signals';
import type { Dashboard } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { noFilters, type ImageFilters } from './imageList';

export type CountKey = 'atRisk' | 'total' | 'vulnerabilities' | 'viruses' | 'trojans' | 'sensitive' | 'incomplete';

/** One header count: its figure, and the list filter that shows the images behind it. */
export type HeaderCount = { key: CountKey; label: string; value: number; hot: boolean; filters: ImageFilters; describe: string };

/**
 * The side panel's header counts, from GET /api/dashboard: images at risk, all images,
 * vulnerabilities, viruses, trojans, sensitive items, and (only when there are some) images
 * whose last scan could not check everything. Each count filters the list to its images.
 */
export function headerCounts(d: Dashboard, current: ImageFilters): HeaderCount[] {
  const base = noFilters(current);
  const counts: HeaderCount[] = [
    { key: 'atRisk', label: 'At risk', value: d.imagesAtRisk, hot: d.imagesAtRisk > 0, filters: { ...base, securityStatus: 'at_risk' }, describe: 'images at risk' },
    { key: 'total', label: 'Images', value: d.totalImages, hot: false, filters: base, describe: 'images in all' },
    { key: 'vulnerabilities', label: 'Vulnerabilities', value: d.vulnerabilities.total, hot: d.vulnerabilities.total > 0, filters: { ...base, risk: 'vulnerabilities' }, describe: 'vulnerabilities' },
    { key: 'viruses', label: 'Viruses', value: d.viruses, hot: d.viruses > 0, filters: { ...base, risk: 'viruses' }, describe: 'viruses' },
    { key: 'trojans', label: 'Trojans', value: d.trojans, hot: d.trojans > 0, filters: { ...base, risk: 'trojans' }, describe: 'trojans' },
    { key: 'sensitive', label: 'Sensitive data', value: d.sensitive, hot: d.sensitive > 0, filters: { ...base, risk: 'sensitive' }, describe: 'sensitive data items' },
  ];
  // An image that could not be checked must never hide among the clean ones.
  if (d.imagesIncomplete > 0) {
    counts.push({ key: 'incomplete', label: 'Incomplete', value: d.imagesIncomplete, hot: true, filters: { ...base, securityStatus: 'incomplete' }, describe: 'images not fully checked' });
  }
  return counts;
}

const sameFilters = (a: ImageFilters, b: ImageFilters) =>
  a.scanStatus === b.scanStatus && a.securityStatus === b.securityStatus && a.highPriority === b.highPriority && a.risk === b.risk && a.q.trim() === b.q.trim();

/** The count whose filter the list shows now, if any ("Images" when nothing filters it). */
export function activeCount(counts: HeaderCount[], current: ImageFilters): CountKey | null {
  return counts.find((count) => sameFilters(count.filters, current))?.key ?? null;
}

/** The dashboard behind the header counts, reloaded when images or scans change. */
export function createOverviewState(api: Api, onError: (error: unknown) => void = () => undefined) {
  const dashboard = signal<Dashboard | null>(null);
  const error = signal<string | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    try {
      const next = await api.dashboard();
      if (mine !== generation) return;
      dashboard.value = next;
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      error.value = describeError(e);
      onError(e);
    }
  }

  return { dashboard, error, load };
}

export type OverviewState = ReturnType<typeof createOverviewState>;
