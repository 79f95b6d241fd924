/**
 * One layer walked in shards (see `WalkLayerOptions.shard`) put back together: the result is
 * the one a single walk gives. Shard 0 carries the layer's layout (what it writes, deletes and
 * hides); every shard carries the findings and notes of the files dealt to it.
 */
import type { LayerResult } from './layer-result.ts';
import { NoteCollector } from './notes.ts';
import { canonicalResult } from './walk-layer.ts';

/** A layer shard is about this much content: a 170 MB base layer is shared by two workers. */
const SHARD_BYTES = 64 * 1024 * 1024;

/** How many shards a layer of `bytes` is walked in by a pool of `workers` (1 when the size is unknown). */
export function shardCount(bytes: number | null, workers: number): number {
  if (!bytes || bytes <= SHARD_BYTES) return 1;
  return Math.min(workers, Math.ceil(bytes / SHARD_BYTES));
}

export function combineShards(shards: LayerResult[]): LayerResult {
  const [first, ...others] = shards;
  if (!first) throw new Error('combineShards: no shard results');
  if (others.length === 0) return first;
  const notes = new NoteCollector();
  for (const shard of shards) notes.absorb(shard.notes, shard.droppedNotes ?? 0);
  return canonicalResult({
    findings: shards.flatMap((s) => s.findings),
    whiteouts: first.whiteouts,
    opaqueDirs: first.opaqueDirs,
    writtenPaths: first.writtenPaths,
    notes: notes.list(),
    droppedNotes: notes.droppedCount,
    ...(first.size !== undefined ? { size: first.size } : {}),
  });
}
