/**
 * A data update's sources as the user sees them (issue 18: "progress per source"): each OSV
 * ecosystem on its own line (`OSV npm`), NVD's yearly feeds as one line (`NVD`), CISA KEV and
 * EPSS. Turns the feed updaters' progress events and outcomes into DataSourceProgress for the
 * Update data dialog.
 */
import type { DataSourceProgress } from '@shipshape/shared';
import type { CveDataUpdateOptions, CveDataUpdateResult, UpdateOptions, UpdateResult } from '../vulndb/index.ts';
import type { SourceProgressSink } from './data-update.ts';

type Outcome = { outcome: 'updated' | 'unchanged' | 'failed'; error?: string; result?: { records: number } };

/** `OSV npm`: an OSV ecosystem's archive as a source. */
export const osvSourceName = (ecosystem: string) => `OSV ${ecosystem}`;
/** Whether a source is one of the OSV advisory archives (they decide whether an update failed). */
export const isOsvSource = (name: string) => name.startsWith('OSV ');

/** `nvd:2023` and `nvd:modified` are one line; `kev` and `epss` their own. */
export function cveSourceName(feed: string): string {
  if (feed.startsWith('nvd:')) return 'NVD';
  if (feed === 'kev') return 'CISA KEV';
  if (feed === 'epss') return 'EPSS';
  return feed;
}

function ended(name: string, outcomes: Outcome[]): DataSourceProgress {
  const failed = outcomes.find((o) => o.outcome === 'failed');
  if (failed) return { name, phase: 'failed', error: failed.error ?? 'failed' };
  const records = outcomes.reduce((sum, o) => sum + (o.result?.records ?? 0), 0);
  return outcomes.some((o) => o.outcome === 'updated') ? { name, phase: 'updated', records } : { name, phase: 'unchanged' };
}

/** The OSV archives' progress, for `updateVulnDb`. */
export function osvProgress(sink: SourceProgressSink): NonNullable<UpdateOptions['onProgress']> {
  return (event) => {
    const name = osvSourceName(event.ecosystem);
    if (event.phase === 'download') sink({ name, phase: 'downloading', receivedBytes: event.received, totalBytes: event.total });
    else if (event.phase === 'import') sink({ name, phase: 'importing' });
  };
}

/** Each ecosystem's end, with the reason when it failed. */
export function osvOutcomes(result: UpdateResult, sink: SourceProgressSink): void {
  for (const ecosystem of result.ecosystems) sink(ended(osvSourceName(ecosystem.ecosystem), [ecosystem]));
}

/** The CVE feeds' progress, for `updateCveData` (NVD's many files count as one source, without bytes). */
export function cveProgress(sink: SourceProgressSink): NonNullable<CveDataUpdateOptions['onProgress']> {
  return (event) => {
    const name = cveSourceName(event.feed);
    if (event.phase === 'done') return; // judged from the outcomes, NVD's files together
    if (event.phase === 'import') sink({ name, phase: 'importing' });
    else sink(name === 'NVD' ? { name, phase: 'downloading' } : { name, phase: 'downloading', receivedBytes: event.received ?? 0, totalBytes: event.total ?? null });
  };
}

export function cveOutcomes(result: CveDataUpdateResult, sink: SourceProgressSink): void {
  const byName = new Map<string, Outcome[]>();
  for (const feed of result.feeds) byName.set(cveSourceName(feed.feed), [...(byName.get(cveSourceName(feed.feed)) ?? []), feed]);
  for (const [name, outcomes] of byName) sink(ended(name, outcomes));
}
