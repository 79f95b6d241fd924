/**
 * A `LayerSource` over an uncompressed layer tar stream (tar-stream handles PAX and GNU
 * long names). Entry content is streamed: only what an analyzer asked for is kept, until the
 * next entry (a content of one chunk is a view of it; of more, the source's kept buffer).
 */
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { FileKind } from '../analyzer.ts';
import { checkedEntrySize } from './entry-size.ts';
import type { LayerEntry, LayerSource } from './layer-source.ts';
import { ReadBuffer } from './read-buffer.ts';

const kinds: Record<string, FileKind> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'hardlink',
  symlink: 'symlink',
  directory: 'directory',
};

export class LayerFormatError extends Error {
  override name = 'LayerFormatError';
}

/**
 * Reads an entry stream: keeps the first `maxBytes` (of `size`), drains the rest. A content
 * of more than one chunk is copied into the source's kept buffer as the chunks arrive, so no
 * chunk of the layer stream stays referenced while the rest of the file comes in (holding
 * them, then concatenating, kept a large file in memory twice).
 */
async function readEntry(stream: AsyncIterable<unknown>, size: number, maxBytes: number, into: ReadBuffer): Promise<Buffer> {
  const wanted = Math.min(size, maxBytes);
  let first: Buffer | null = null;
  let whole: Buffer | null = null;
  let length = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (length >= wanted) continue;
    const take = buffer.length <= wanted - length ? buffer : buffer.subarray(0, wanted - length);
    if (length === 0 && take.length === wanted) first = take; // the common case: one chunk, no copy
    else take.copy((whole ??= into.take(wanted)), length);
    length += take.length;
  }
  if (whole) return length === whole.length ? whole : whole.subarray(0, length);
  return first ?? Buffer.alloc(0);
}

/**
 * `input` is the uncompressed layer tar; `position()` describes how far it got, e.g.
 * `byte 1234 of the layer (archive byte 5678)`, for error messages.
 */
export function tarLayerSource(input: Readable, label: string, position: () => string): LayerSource {
  return new TarLayerSource(input, label, position);
}

/** A class for the reason OverlayLayerSource is one: `entries` is one generator function for every layer. */
class TarLayerSource implements LayerSource {
  constructor(
    private readonly input: Readable,
    readonly label: string,
    private readonly position: () => string,
  ) {}

  async *entries(): AsyncGenerator<LayerEntry> {
    const { input, label } = this;
    const readBuffer = new ReadBuffer();
    // Old tools write pre-POSIX (v7) headers; checksums still reject garbage.
    const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
    input.on('error', (error) => extract.destroy(error));
    input.pipe(extract);
    let current = '';
    try {
      for await (const entry of extract) {
        const header = entry.header;
        current = header.name;
        const size = checkedEntrySize(header.size, header.name);
        let consumed = false;
        const layerEntry: LayerEntry = {
          name: header.name,
          kind: kinds[header.type ?? 'file'] ?? 'other',
          size,
          mode: header.mode ?? 0,
          ...(header.linkname ? { linkname: header.linkname } : {}),
          read: (maxBytes) => {
            if (consumed) return Promise.reject(new Error(`entry ${header.name} read twice`));
            consumed = true;
            return readEntry(entry, size, maxBytes, readBuffer);
          },
        };
        yield layerEntry;
        // Entries nobody read are drained so the stream moves on.
        if (!consumed) {
          consumed = true;
          entry.resume();
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LayerFormatError(`layer ${label}: corrupt or truncated layer data at ${this.position()}${current ? ` (entry ${current})` : ''}: ${reason}`);
    }
  }
}
