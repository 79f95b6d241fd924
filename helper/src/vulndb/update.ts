/**
 * `db update`: fetch OSV's per-ecosystem archives (`<base>/<Ecosystem>/all.zip`) and
 * import the ones that changed. One new database file for the whole update; each
 * ecosystem is its own transaction, so a failed download or a corrupt archive keeps that
 * ecosystem's previous records while the others are refreshed. When nothing changed, no
 * file is written at all.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { baseEcosystem } from '@shipshape/analyzers/match/index.ts';
import { downloadIfChanged } from './download.ts';
import { acquireWriteLock } from './lock.ts';
import { vulnDbStatus } from './store.ts';
import { vulnDbDir } from './schema.ts';
import { readZip } from './sources/osv-files.ts';
import { VulnDbWriter, type SourceResult } from './writer.ts';

import { DEFAULT_ECOSYSTEMS, DEFAULT_OSV_BASE_URL } from './osv-defaults.ts';

export { DEFAULT_ECOSYSTEMS, DEFAULT_OSV_BASE_URL };

export type UpdateProgress =
  | { phase: 'download'; ecosystem: string; received: number; total: number | null }
  | { phase: 'import'; ecosystem: string }
  | { phase: 'done'; ecosystem: string; outcome: EcosystemOutcome['outcome'] };

export interface EcosystemOutcome {
  ecosystem: string;
  url: string;
  outcome: 'updated' | 'unchanged' | 'failed';
  bytes?: number;
  result?: SourceResult;
  error?: string;
}

export interface UpdateOptions {
  dataDir: string;
  baseUrl?: string;
  /** OSV ecosystem names; releases are dropped (`Debian:12` → `Debian`), duplicates removed. */
  ecosystems: string[];
  onProgress?: (event: UpdateProgress) => void;
  signal?: AbortSignal;
}

export interface UpdateResult {
  ecosystems: EcosystemOutcome[];
  /** True when a new database file replaced the old one. */
  replaced: boolean;
}

export function archiveUrl(baseUrl: string, ecosystem: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

export async function updateVulnDb(options: UpdateOptions): Promise<UpdateResult> {
  const baseUrl = options.baseUrl ?? DEFAULT_OSV_BASE_URL;
  const ecosystems = [...new Set(options.ecosystems.map(baseEcosystem))];
  const downloads = join(vulnDbDir(options.dataDir), 'downloads');
  mkdirSync(downloads, { recursive: true });
  const release = acquireWriteLock(vulnDbDir(options.dataDir));
  // The copy of the current database is made only once an archive actually changed.
  let writer: VulnDbWriter | null = null;
  const outcomes: EcosystemOutcome[] = [];
  try {
    const validators = currentValidators(options.dataDir);
    for (const ecosystem of ecosystems) {
      options.signal?.throwIfAborted();
      const url = archiveUrl(baseUrl, ecosystem);
      const source = `osv:${ecosystem}`;
      const file = join(downloads, `${ecosystem.replace(/[^\w.-]/g, '_')}-${process.pid}.zip`);
      const previous = validators.get(source);
      try {
        const download = await downloadIfChanged({
          url,
          file,
          etag: previous?.etag,
          lastModified: previous?.lastModified,
          signal: options.signal,
          onProgress: (received, total) => options.onProgress?.({ phase: 'download', ecosystem, received, total }),
        });
        if (download.status === 'not-modified') {
          outcomes.push({ ecosystem, url, outcome: 'unchanged' });
        } else {
          options.onProgress?.({ phase: 'import', ecosystem });
          writer ??= VulnDbWriter.begin(options.dataDir, release);
          const result = await writer.replaceSource(
            { source, kind: 'osv-archive', location: url, etag: download.etag, lastModified: download.lastModified },
            readZip(download.file),
          );
          outcomes.push({ ecosystem, url, outcome: 'updated', bytes: download.bytes, result });
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        outcomes.push({ ecosystem, url, outcome: 'failed', error: (error as Error).message });
      } finally {
        rmSync(file, { force: true });
      }
      options.onProgress?.({ phase: 'done', ecosystem, outcome: outcomes[outcomes.length - 1]?.outcome ?? 'failed' });
    }
    const changed = writer !== null && outcomes.some((o) => o.outcome === 'updated');
    if (writer && changed) writer.commit();
    else if (writer) writer.abort();
    else release();
    return { ecosystems: outcomes, replaced: changed };
  } catch (error) {
    if (writer) writer.abort();
    else release();
    throw error;
  }
}

/** ETag / Last-Modified of each source in the served database. */
function currentValidators(dataDir: string): Map<string, { etag: string | null; lastModified: string | null }> {
  const status = vulnDbStatus(dataDir);
  return new Map((status?.sources ?? []).map((s) => [s.source, { etag: s.etag, lastModified: s.lastModified }]));
}

/** The OSV archives an update needs for these inventories: their base ecosystems, plus `extra`. */
export function ecosystemsToFetch(packages: { ecosystem: string }[], extra: string[] = []): string[] {
  return [...new Set([...packages.map((p) => baseEcosystem(p.ecosystem)), ...extra.map(baseEcosystem)])].sort();
}
