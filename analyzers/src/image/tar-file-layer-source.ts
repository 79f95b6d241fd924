/**
 * A `LayerSource` over an uncompressed layer tar in a file (an export's layer, written by
 * parallel/layer-spool.ts), read by position. A header is read where it lies and a content only
 * when some analyzer asks for it, so an entry nobody wants costs no read: several workers can
 * share one large layer, each reading the headers and only its own files (walked as a stream,
 * each would read and parse the whole layer, which cost what the second worker saved). A hard
 * link reads its target's content again from where it lies, as a folder read in place does.
 *
 * It reads a tar as tar-stream does for tarLayerSource (the same entries, names, sizes and
 * errors; tar-file-layer-source.test.ts compares the two): ustar headers (a `prefix` joined to
 * the name), GNU and pre-POSIX (v7) ones, base-256 numbers, GNU long names and link names
 * (`L`, `K`, `N`), PAX records (`path`, `linkpath`, `size`; a global record adds to each local
 * one), all-zero blocks skipped, the checksum checked.
 */
import { fstatSync, readSync } from 'node:fs';
import type { FileKind } from '../analyzer.ts';
import { normalizeEntryPath } from '../walker/paths.ts';
import { checkedEntrySize } from './entry-size.ts';
import type { LayerEntry, LayerSource } from './layer-source.ts';
import { ReadBuffer } from './read-buffer.ts';
import { LayerFormatError } from './tar-layer-source.ts';

const BLOCK = 512;
/** Headers (and small contents) are read a window at a time: most files of a layer are small. */
const WINDOW = 128 * 1024;
/** As tar-stream: a long name or PAX record above this is refused. */
const MAX_HEADER_SIZE = 4 * 1024 * 1024;
/** Regular files whose place is remembered for hard links (a layer of more is rare: later targets get the walker's note). */
const MAX_REMEMBERED = 250_000;

/** Type flags as tar-stream numbers them (the flag byte less '0'; NUL is 0). */
const DIRECTORY = 5;
const PAX = 'x'.charCodeAt(0) - 0x30;
const PAX_GLOBAL = 'g'.charCodeAt(0) - 0x30;
const GNU_LONG_LINK = 'K'.charCodeAt(0) - 0x30;
const GNU_LONG_NAMES = new Set(['L'.charCodeAt(0) - 0x30, 'N'.charCodeAt(0) - 0x30]);
const KINDS: Record<number, FileKind> = { 0: 'file', 7: 'file', 1: 'hardlink', 2: 'symlink', [DIRECTORY]: 'directory' };
/** Type flags tar-stream knows and does not map to a kind of ours: anything else it reads as a file. */
const OTHER_TYPES = new Set([3, 4, 6]);

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

function cString(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return Buffer.from(block.buffer, block.byteOffset + offset, end - offset).toString('utf8');
}

/** A numeric field: octal (leading spaces and NULs allowed, up to a space) or base-256; null when unreadable, as tar-stream decodes it. */
function numberField(block: Uint8Array, offset: number, length: number): number | null {
  if (block[offset]! & 0x80) {
    const first = block[offset]!;
    if (first !== 0x80 && first !== 0xff) return null;
    let sum = 0;
    for (let i = offset + length - 1, scale = 1; i > offset; i--, scale *= 256) sum += (first === 0x80 ? block[i]! : 0xff - block[i]!) * scale;
    return first === 0x80 ? sum : -sum;
  }
  let i = offset;
  const end0 = offset + length;
  while (i < end0 && block[i] === 0x20) i++;
  let end = i;
  while (end < end0 && block[end] !== 0x20) end++;
  while (i < end && block[i] === 0) i++;
  if (i === end) return 0;
  return parseInt(Buffer.from(block.buffer, block.byteOffset + i, end - i).toString('latin1'), 8);
}

function checksumOf(block: Uint8Array): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  return sum;
}

const USTAR = Buffer.from('ustar\0', 'latin1');
const isUstar = (block: Uint8Array) => Buffer.from(block.buffer, block.byteOffset + 257, 6).equals(USTAR);

/** PAX records, as tar-stream reads them (`<length> <key>=<value>\n`, stopping at the first it cannot read). */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    let i = 0;
    while (i < rest.length && rest[i] !== 0x20) i++;
    const length = parseInt(rest.subarray(0, i).toString(), 10);
    if (!length) return out;
    const record = rest.subarray(i + 1, length - 1).toString();
    const eq = record.indexOf('=');
    if (eq === -1) return out;
    out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(length);
  }
  return out;
}

interface Header {
  name: string;
  type: number;
  size: number | null;
  mode: number;
  linkname: string | null;
}

export function tarFileLayerSource(fd: number, label: string): LayerSource {
  return new TarFileLayerSource(fd, label);
}

/** A class for the reason OverlayLayerSource is one: `entries` is one generator function for every layer. */
class TarFileLayerSource implements LayerSource {
  private window = Buffer.allocUnsafeSlow(WINDOW);
  private windowStart = 0;
  private windowEnd = 0;
  private readonly length: number;

  constructor(
    private readonly fd: number,
    readonly label: string,
  ) {
    this.length = fstatSync(fd).size;
  }

  /** `length` bytes at `position`: a view of the window when they fit in one, else `into` (or a fresh buffer). */
  private bytesAt(position: number, length: number, into?: Buffer): Buffer {
    if (position >= this.windowStart && position + length <= this.windowEnd) {
      return this.window.subarray(position - this.windowStart, position - this.windowStart + length);
    }
    if (length <= WINDOW) {
      const read = this.readFully(this.window, WINDOW, position, length);
      this.windowStart = position;
      this.windowEnd = position + read;
      return this.window.subarray(0, length);
    }
    const target = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    this.readFully(target, length, position, length);
    return target.subarray(0, length);
  }

  /** Reads up to `max` bytes at `position` into `target`; at least `need` must be there. */
  private readFully(target: Buffer, max: number, position: number, need: number): number {
    const wanted = Math.min(max, Math.max(0, this.length - position));
    let done = 0;
    while (done < wanted) {
      const n = readSync(this.fd, target, done, wanted - done, position + done);
      if (n === 0) break;
      done += n;
    }
    if (done < need) throw new Error('Unexpected end of data');
    return done;
  }

  private header(block: Buffer): Header | null {
    const sum = checksumOf(block);
    // An all-zero block (the archive's end, or padding): tar-stream skips it and reads on.
    if (sum === 8 * 32) return null;
    if (sum !== numberField(block, 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
    let type = block[156] === 0 ? 0 : block[156]! - 0x30;
    let name = cString(block, 0, 100);
    if (isUstar(block) && block[345] !== 0) name = `${cString(block, 345, 155)}/${name}`;
    if (type === 0 && name.endsWith('/')) type = DIRECTORY;
    return { name, type, size: numberField(block, 124, 12), mode: numberField(block, 100, 8) ?? 0, linkname: block[157] === 0 ? null : cString(block, 157, 100) };
  }

  async *entries(): AsyncGenerator<LayerEntry> {
    const readBuffer = new ReadBuffer();
    /** Where each regular file's content lies, by its name as the walker names it (for hard links). */
    const places = new Map<string, { at: number; size: number }>();
    let position = 0;
    let current = '';
    let pax: Record<string, string> | null = null;
    let paxGlobal: Record<string, string> | null = null;
    let longName: string | null = null;
    let longLink: string | null = null;
    try {
      while (position < this.length) {
        if (this.length - position < BLOCK) throw new Error('Unexpected end of data');
        const header = this.header(this.bytesAt(position, BLOCK));
        position += BLOCK;
        if (!header) continue;
        current = header.name;
        if (header.type === PAX || header.type === PAX_GLOBAL || header.type === GNU_LONG_LINK || GNU_LONG_NAMES.has(header.type)) {
          const size = header.size ?? NaN;
          if (size > MAX_HEADER_SIZE) throw new Error('Header exceeds max size');
          if (!(size >= 0) || position + size + padding(size) > this.length) throw new Error('Unexpected end of data');
          const data = Buffer.from(this.bytesAt(position, size));
          position += size + padding(size);
          const text = () => cString(data, 0, data.length);
          if (header.type === PAX) pax = { ...(paxGlobal ?? {}), ...paxRecords(data) };
          else if (header.type === PAX_GLOBAL) paxGlobal = paxRecords(data);
          else if (header.type === GNU_LONG_LINK) longLink = text();
          else longName = text();
          continue;
        }
        if (longName !== null) header.name = longName;
        if (longLink !== null) header.linkname = longLink;
        if (pax) {
          if (pax.path) header.name = pax.path;
          if (pax.linkpath) header.linkname = pax.linkpath;
          if (pax.size) header.size = parseInt(pax.size, 10);
        }
        longName = longLink = pax = null;
        current = header.name;
        const size = checkedEntrySize(header.size, header.name);
        const kind: FileKind = KINDS[header.type] ?? (OTHER_TYPES.has(header.type) ? 'other' : 'file');
        // As tar-stream: a directory's size field moves nothing (its next header follows at once).
        const contentAt = position;
        const stored = kind === 'directory' ? 0 : size;
        // The content and its padding must be there (tar-stream fails a tar cut in either).
        if (contentAt + stored + padding(stored) > this.length) throw new Error('Unexpected end of data');
        position += stored + padding(stored);
        if (kind === 'file' && places.size < MAX_REMEMBERED) {
          const path = normalizeEntryPath(header.name);
          if (path !== null) places.set(path, { at: contentAt, size: stored });
        }
        let consumed = false;
        const read = (from: number, length: number, maxBytes: number) => {
          if (consumed) return Promise.reject(new Error(`entry ${header.name} read twice`));
          consumed = true;
          const wanted = Math.min(length, maxBytes);
          return Promise.resolve(this.bytesAt(from, wanted, wanted > WINDOW ? readBuffer.take(wanted) : undefined));
        };
        const target = kind === 'hardlink' && header.linkname !== null ? places.get(normalizeEntryPath(header.linkname) ?? '') : undefined;
        const entry: LayerEntry = {
          name: header.name,
          kind,
          size,
          mode: header.mode,
          ...(header.linkname !== null ? { linkname: header.linkname } : {}),
          read: (maxBytes) => read(contentAt, stored, maxBytes),
          ...(target ? { readLinkTarget: (maxBytes: number) => read(target.at, target.size, maxBytes) } : {}),
        };
        yield entry;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LayerFormatError(`layer ${this.label}: corrupt or truncated layer data at byte ${position} of the uncompressed layer${current ? ` (entry ${current})` : ''}: ${reason}`);
    }
  }
}
