/**
 * One layer's entries, whatever they are stored in: a tar stream (from `docker save`) or a
 * folder read in place (Docker's overlay2 layer folders). The walker only sees this interface.
 */
import type { FileKind } from '../analyzer.ts';

export interface LayerEntry {
  /** Name as stored in the layer (relative, may start with `./`). */
  readonly name: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly mode: number;
  /** Symlink target as written, or hard-link target name (relative to the layer root). */
  readonly linkname?: string;
  /**
   * Reads up to `maxBytes` of the content and discards the rest. Call at most once. The bytes
   * are valid until the next entry is asked for: a source may read the next file into the same
   * buffer (a folder read in place does), so whoever keeps content longer keeps a copy.
   */
  read(maxBytes: number): Promise<Buffer>;
  /**
   * Hard links only, in sources that can: reads the linked content itself (a folder read in
   * place can; a tar stream holds it only at the first name, so the walker keeps a copy).
   * Valid until the next entry, as `read`'s.
   */
  readLinkTarget?(maxBytes: number): Promise<Buffer>;
}

export interface LayerSource {
  /** Names the layer in errors and notes, e.g. `blobs/sha256/ab12…`. */
  readonly label: string;
  /**
   * The entries, in stored order. Entries not read are skipped. Errors (corrupt or truncated
   * data) are thrown from the iteration and name the layer and the byte offset.
   */
  entries(): AsyncIterable<LayerEntry>;
}
