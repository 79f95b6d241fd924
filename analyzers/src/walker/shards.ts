/**
 * One layer walked in shards (see `WalkLayerOptions.shard`) put back together: the result is
 * the one a single walk gives. Shard 0 carries the layer's layout (what it writes, deletes and
 * hides); every shard carries the findings and notes of the files dealt to it.
 */
import type { LayerResult } from './layer-result.ts';
import { NoteCollector } from './notes.ts';
import { canonicalResult } from './walk-layer.ts';

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
