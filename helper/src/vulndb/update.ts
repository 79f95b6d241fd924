/**
 * `db update`: fetch OSV's per-ecosystem archives (`<base>/<Ecosystem>/all.zip`) and
 * import the ones that changed. One new database file for the whole update; each
 * ecosystem is its own transaction, so a failed download or a corrupt archive keeps that
 * ecosystem's previous records while the others are refreshed. When nothing changed, no
 * file is written at all.
 */
import { baseEcosystem } from '@shipshape/analyzers/match/index.ts';
import { updateFeeds, type FeedSpec } from './feed-update.ts';
import { readZip } from './sources/osv-files.ts';
import type { SourceResult } from './writer.ts';

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
  const feeds: FeedSpec[] = ecosystems.map((ecosystem) => {
    const url = archiveUrl(baseUrl, ecosystem);
    const source = `osv:${ecosystem}`;
    return { source, url, write: (writer, file, v) => writer.replaceSource({ source, kind: 'osv-archive', location: url, ...v }, readZip(file)) };
  });
  const ecosystemOf = (source: string) => source.slice('osv:'.length);
  const { outcomes, replaced } = await updateFeeds({
    dataDir: options.dataDir,
    feeds,
    signal: options.signal,
    onProgress: (e) =>
      options.onProgress?.(
        e.phase === 'download'
          ? { phase: 'download', ecosystem: ecosystemOf(e.source), received: e.received, total: e.total }
          : e.phase === 'import'
            ? { phase: 'import', ecosystem: ecosystemOf(e.source) }
            : { phase: 'done', ecosystem: ecosystemOf(e.source), outcome: e.outcome },
      ),
  });
  return { ecosystems: outcomes.map(({ source, ...rest }) => ({ ecosystem: ecosystemOf(source), ...rest })), replaced };
}

/** The OSV archives an update needs for these inventories: their base ecosystems, plus `extra`. */
export function ecosystemsToFetch(packages: { ecosystem: string }[], extra: string[] = []): string[] {
  return [...new Set([...packages.map((p) => baseEcosystem(p.ecosystem)), ...extra.map(baseEcosystem)])].sort();
}
