/**
 * The byte length of a layer's tar as `docker save` would write it, from Docker's tar-split
 * record of it (`layerdb/sha256/<chainID>/tar-split.json.gz`): Docker rebuilds the exported tar
 * from that record (headers, padding) plus the files of the layer folder, so the sum of its
 * raw segments and file sizes is exactly the exported length. The in-place path reports it
 * as the layer's size, the same figure the export path counts.
 *
 * Format (github.com/vbatts/tar-split, storage.Entry, written by Go's encoding/json), one JSON
 * object a line, fields in this order:
 * `{"type":2,"payload":"<base64 raw bytes>","position":N}` for a raw segment and
 * `{"type":1,"name":"…","size":N,"payload":"<crc64>","position":N}` for a file's content
 * (`size` left out when 0).
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const FILE_ENTRY = 1;
const SEGMENT = 2;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const SEGMENT_START = Buffer.from('{"type":2,"payload":"');
const FILE_START = Buffer.from('{"type":1,');
/**
 * In a line Go wrote, `,"size":` can only be the key: inside a JSON string every `"` is
 * escaped, so no name can hold a comma followed by a bare quote.
 */
const SIZE_KEY = Buffer.from(',"size":');

const startsWith = (line: Buffer, prefix: Buffer) => line.length > prefix.length && line.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/** Bytes a base64 text decodes to, as Buffer.byteLength(text, 'base64') counts them. */
function base64Length(line: Buffer, start: number, end: number): number {
  let n = end - start;
  if (n > 0 && line[start + n - 1] === 0x3d) n--;
  if (n > 1 && line[start + n - 1] === 0x3d) n--;
  return (n * 3) >>> 2;
}

/** The bytes one line adds to the exported tar. Lines in Go's usual form are read without JSON.parse (it costs ~5× more on a record of thousands of files). */
export function tarSplitLineSize(line: Buffer): number {
  if (line[line.length - 1] === 0x7d) {
    if (startsWith(line, SEGMENT_START)) {
      const end = line.indexOf(QUOTE, SEGMENT_START.length);
      if (end !== -1) return base64Length(line, SEGMENT_START.length, end);
    } else if (startsWith(line, FILE_START)) {
      const key = line.lastIndexOf(SIZE_KEY);
      if (key === -1) return 0;
      let size = 0;
      let i = key + SIZE_KEY.length;
      for (; i < line.length && line[i]! >= 0x30 && line[i]! <= 0x39; i++) size = size * 10 + (line[i]! - 0x30);
      if (i > key + SIZE_KEY.length && (line[i] === 0x2c || line[i] === 0x7d)) return size;
    }
  }
  // Anything else (another writer's spacing or field order): the JSON itself.
  const record = JSON.parse(line.toString('utf8')) as { type?: number; size?: number; payload?: string | null };
  if (record.type === SEGMENT && typeof record.payload === 'string') return Buffer.byteLength(record.payload, 'base64');
  if (record.type === FILE_ENTRY && typeof record.size === 'number') return record.size;
  return 0;
}

/** The exported tar's length; null when the record is missing or unreadable (the size is then unknown). */
export async function tarSplitSize(file: string): Promise<number | null> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  let total = 0;
  // A line cut by a chunk's end, in pieces (one long line is joined once, not chunk by chunk).
  let pending: Buffer[] = [];
  const add = (line: Buffer) => {
    if (line.length > 0) total += tarSplitLineSize(line);
  };
  try {
    for await (const chunk of input.pipe(gunzip) as AsyncIterable<Buffer>) {
      let start = 0;
      let end = chunk.indexOf(NEWLINE);
      if (end !== -1 && pending.length > 0) {
        pending.push(chunk.subarray(0, end));
        add(Buffer.concat(pending));
        pending = [];
        start = end + 1;
        end = chunk.indexOf(NEWLINE, start);
      }
      for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        add(chunk.subarray(start, end));
        start = end + 1;
      }
      if (start < chunk.length) pending.push(Buffer.from(chunk.subarray(start)));
    }
    add(Buffer.concat(pending));
    return total;
  } catch {
    return null;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
