/**
 * Walks one layer once: every entry is offered to every analyzer's `required()`; a file is
 * read only when some analyzer wants it, and only up to the largest `maxFileSize` asked.
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '../analyzer.ts';
import type { LayerEntry, LayerSource } from '../image/layer-source.ts';
import type { LayerResult } from './layer-result.ts';
import { normalizeEntryPath, parseWhiteout, resolveLinkTarget } from './paths.ts';
import { NoteCollector } from './notes.ts';
import { analyzerFailureNote } from './failures.ts';
import { PathSetBuilder } from './path-set.ts';
import { shardOwner } from './shard-owner.ts';
import { HardLinkStore } from './hardlink-store.ts';

export interface WalkLayerOptions {
  analyzers: Analyzer[];
  layer: AnalyzerContext['layer'];
  signal?: AbortSignal;
  /** Contents kept per layer so hard links to an already-read file can be analysed (bytes). */
  hardlinkCacheBytes?: number;
  /**
   * Walk only part of the layer's analysis, so several workers can share one large layer read
   * in place: files are dealt to shards by a hash of their path; shard 0 also records what the
   * layer writes and deletes. `combineShards` puts the parts back together.
   */
  shard?: { index: number; count: number };
}

const DEFAULT_HARDLINK_CACHE = 32 * 1024 * 1024;

function metaOf(entry: LayerEntry, path: string): FileMeta {
  const meta: FileMeta = { path, size: entry.kind === 'file' ? entry.size : 0, mode: entry.mode, kind: entry.kind };
  if (entry.linkname !== undefined) {
    // Hard-link names are layer-relative like entry names; symlink targets resolve against the
    // link's directory and are clamped to the image root, so no consumer can follow one out.
    meta.linkTarget = entry.kind === 'hardlink' ? (normalizeEntryPath(entry.linkname) ?? entry.linkname) : resolveLinkTarget(path, entry.linkname);
  }
  return meta;
}

/**
 * The path that decides which shard analyses an entry: its own, but a hard link's target's when
 * the source cannot read the target again (then only the shard that read the target keeps its
 * content: `hardlinkCacheBytes`).
 */
function ownerPath(entry: LayerEntry, path: string): string {
  if (entry.kind !== 'hardlink' || entry.readLinkTarget || entry.linkname === undefined) return path;
  return normalizeEntryPath(entry.linkname) ?? path;
}

export async function walkLayer(source: LayerSource, opts: WalkLayerOptions): Promise<LayerResult> {
  const linkTargets = new HardLinkStore(opts.hardlinkCacheBytes ?? DEFAULT_HARDLINK_CACHE);
  try {
    return await walkKeeping(source, opts, linkTargets);
  } finally {
    linkTargets.close();
  }
}

async function walkKeeping(source: LayerSource, opts: WalkLayerOptions, linkTargets: HardLinkStore): Promise<LayerResult> {
  const notes = new NoteCollector();
  const shardIndex = opts.shard?.index ?? 0;
  const keepsLayout = shardIndex === 0;
  const owns = shardOwner(opts.shard);
  const ctx: AnalyzerContext = { layer: opts.layer, note: (message) => notes.add(message), ...(opts.signal ? { signal: opts.signal } : {}) };
  const findings: Finding[] = [];
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const written = new PathSetBuilder();

  const runAnalyzers = async (wanted: Analyzer[], file: LayerFile) => {
    for (const analyzer of wanted) {
      try {
        findings.push(...(await analyzer.analyze(file, ctx)));
      } catch (error) {
        // The contract says analyzers do not throw; if one does, the scan still goes on.
        notes.add(analyzerFailureNote(analyzer.name, `on ${file.path}`, error));
      }
    }
  };

  for await (const entry of source.entries()) {
    opts.signal?.throwIfAborted();
    const path = normalizeEntryPath(entry.name);
    if (path === null) {
      if (keepsLayout) notes.add(`skipped entry '${entry.name}': it climbs above the image root`);
      continue;
    }
    const whiteout = parseWhiteout(path);
    if (whiteout) {
      if (!keepsLayout) continue;
      if (whiteout.kind === 'delete') whiteouts.push(whiteout.path);
      else if (whiteout.kind === 'opaque') opaqueDirs.push(whiteout.dir);
      continue;
    }
    if (entry.kind === 'directory' || path === '/') continue;
    if (keepsLayout) written.add(path);
    if (!owns(ownerPath(entry, path))) continue;
    const meta = metaOf(entry, path);
    // Runs for every entry of every layer: no allocation unless some analyzer wants the file.
    let wanted: Analyzer[] | null = null;
    for (const analyzer of opts.analyzers) if (analyzer.required(path, meta)) (wanted ??= []).push(analyzer);
    if (wanted === null) continue;

    if (entry.kind === 'hardlink') {
      const target = meta.linkTarget ?? '';
      let content = linkTargets.get(target);
      if (content === undefined && entry.readLinkTarget) {
        content = await entry.readLinkTarget(Math.max(...wanted.map((a) => a.maxFileSize)));
      }
      if (content === undefined) {
        notes.add(`hard link ${path} → ${target}: target content not kept, not analysed`);
        continue;
      }
      await runAnalyzers(wanted, { ...meta, size: content.length, content });
      continue;
    }
    if (entry.kind !== 'file') {
      await runAnalyzers(wanted, { ...meta, content: Buffer.alloc(0) });
      continue;
    }
    const fits = wanted.filter((a) => entry.size <= a.maxFileSize);
    for (const a of wanted) {
      if (entry.size > a.maxFileSize) notes.add(`${path} (${entry.size} bytes) is above ${a.name}'s ${a.maxFileSize}-byte limit, not analysed by it`);
    }
    if (fits.length === 0) continue;
    const content = await entry.read(Math.max(...fits.map((a) => a.maxFileSize)));
    linkTargets.keep(path, content);
    await runAnalyzers(fits, { ...meta, content });
  }

  for (const analyzer of opts.analyzers) {
    if (!analyzer.finishLayer) continue;
    try {
      findings.push(...(await analyzer.finishLayer(ctx)));
    } catch (error) {
      notes.add(analyzerFailureNote(analyzer.name, 'at the end of the layer', error));
    }
  }
  return canonicalResult({ findings, whiteouts, opaqueDirs, writtenPaths: keepsLayout ? written.encode() : '', notes: notes.list(), droppedNotes: notes.droppedCount });
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();

/** The canonical order of a layer result (see LayerResult): findings by path, stable within a path. */
export function canonicalResult(result: LayerResult): LayerResult {
  const { droppedNotes, ...rest } = result;
  return {
    ...rest,
    findings: [...result.findings].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    whiteouts: sortedUnique(result.whiteouts),
    opaqueDirs: sortedUnique(result.opaqueDirs),
    notes: [...result.notes].sort(),
    ...(droppedNotes ? { droppedNotes } : {}),
  };
}
