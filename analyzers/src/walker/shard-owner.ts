/**
 * Which files of a layer a shard analyses (see `WalkLayerOptions.shard`): each path belongs to
 * one shard, by its hash. The walker asks it of every entry, and a layer source read in place
 * asks it too, to skip the lstat of a file another shard deals with.
 */
import { pathHash } from './path-set.ts';

/** True for the paths (as the walker names them: `/a/b`) the shard deals with. */
export function shardOwner(shard?: { index: number; count: number }): (path: string) => boolean {
  const count = shard?.count ?? 1;
  const index = shard?.index ?? 0;
  return (path) => count === 1 || pathHash(path) % count === index;
}
