import type { Finding } from '../analyzer.ts';

/** Bumped when this shape changes, so per-layer caches miss instead of reading the old one. */
export const LAYER_RESULT_FORMAT = 3;

/**
 * What one layer contributes, independent of the layers around it: the findings of its own
 * files, its deletions, and the paths it writes (so an upper layer's copy can be seen to
 * replace a lower one). Plain JSON, so it can be cached by diffID and analyzer versions.
 * Every list is in a canonical order (findings by path, the others sorted), so the same layer
 * gives the same result from a tar stream or read in place, whole or in shards.
 */
export interface LayerResult {
  findings: Finding[];
  /** Paths this layer deletes from lower layers (`.wh.<name>`). */
  whiteouts: string[];
  /** Directories whose lower-layer content this layer hides (`.wh..wh..opq`). */
  opaqueDirs: string[];
  /** Every non-directory path this layer writes (files, links, devices), as an encoded PathSet. */
  writtenPaths: string;
  /** Sorted; at most 50 (the first in sort order), the rest only counted in `droppedNotes`. */
  notes: string[];
  /** Notes over the cap, counted (the merge says how many were not shown). */
  droppedNotes?: number;
  /** Uncompressed size of the layer tar in bytes, when known. */
  size?: number;
}
