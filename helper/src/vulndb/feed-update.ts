/**
 * One update run over a list of downloadable feeds (OSV archives, NVD feeds, KEV, EPSS): each
 * is fetched only when changed (the stored ETag/Last-Modified are sent) and written into one
 * new database file, copied from the current one only once something changed and swapped in at
 * the end. A feed whose download or import fails keeps its previous data; the others go on.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { downloadIfChanged } from './download.ts';
import { acquireWriteLock } from './lock.ts';
import { vulnDbDir } from './schema.ts';
import { vulnDbStatus } from './store.ts';
import { VulnDbWriter, type SourceResult } from './writer.ts';

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface FeedSpec {
  /** The source key its data is stored under (its validators are read from there). */
  source: string;
  url: string;
  write(writer: VulnDbWriter, file: string, validators: Validators): Promise<SourceResult>;
}

export interface FeedOutcome {
  source: string;
  url: string;
  outcome: 'updated' | 'unchanged' | 'failed';
  bytes?: number;
  result?: SourceResult;
  error?: string;
}

export type FeedProgress =
  | { phase: 'download'; source: string; received: number; total: number | null }
  | { phase: 'import'; source: string }
  | { phase: 'done'; source: string; outcome: FeedOutcome['outcome'] };

/** ETag / Last-Modified and fetch time of each source in the served database (none when it is of another schema). */
export function storedSources(dataDir: string): Map<string, Validators & { fetchedAt: string }> {
  try {
    const status = vulnDbStatus(dataDir);
    return new Map((status?.sources ?? []).map((s) => [s.source, { etag: s.etag, lastModified: s.lastModified, fetchedAt: s.fetchedAt }]));
  } catch {
    return new Map();
  }
}

export async function updateFeeds(options: {
  dataDir: string;
  feeds: FeedSpec[];
  signal?: AbortSignal;
  onProgress?: (event: FeedProgress) => void;
}): Promise<{ outcomes: FeedOutcome[]; replaced: boolean }> {
  const downloads = join(vulnDbDir(options.dataDir), 'downloads');
  mkdirSync(downloads, { recursive: true });
  const release = acquireWriteLock(vulnDbDir(options.dataDir));
  let writer: VulnDbWriter | null = null;
  const outcomes: FeedOutcome[] = [];
  try {
    const validators = storedSources(options.dataDir);
    for (const { source, url, write } of options.feeds) {
      options.signal?.throwIfAborted();
      const file = join(downloads, `${source.replace(/[^\w.-]/g, '_')}-${process.pid}.download`);
      const previous = validators.get(source);
      try {
        const download = await downloadIfChanged({
          url,
          file,
          etag: previous?.etag,
          lastModified: previous?.lastModified,
          signal: options.signal,
          onProgress: (received, total) => options.onProgress?.({ phase: 'download', source, received, total }),
        });
        if (download.status === 'not-modified') outcomes.push({ source, url, outcome: 'unchanged' });
        else {
          options.onProgress?.({ phase: 'import', source });
          // The copy of the current database is made only once a feed actually changed.
          writer ??= VulnDbWriter.begin(options.dataDir, release);
          const result = await write(writer, download.file, { etag: download.etag, lastModified: download.lastModified });
          outcomes.push({ source, url, outcome: 'updated', bytes: download.bytes, result });
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        outcomes.push({ source, url, outcome: 'failed', error: (error as Error).message });
      } finally {
        rmSync(file, { force: true });
      }
      options.onProgress?.({ phase: 'done', source, outcome: outcomes[outcomes.length - 1]?.outcome ?? 'failed' });
    }
    const changed = writer !== null && outcomes.some((o) => o.outcome === 'updated');
    if (writer && changed) writer.commit();
    else if (writer) writer.abort();
    else release();
    return { outcomes, replaced: changed };
  } catch (error) {
    if (writer) writer.abort();
    else release();
    throw error;
  }
}
