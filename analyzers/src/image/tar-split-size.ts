/**
 * The byte length of a layer's tar as `docker save` would write it, from Docker's tar-split
 * record of it (`layerdb/sha256/<chainID>/tar-split.json.gz`): Docker rebuilds the exported tar
 * from that record (headers, padding) plus the files of the layer folder, so the sum of its
 * raw segments and file sizes is exactly the exported length. The in-place path reports it
 * as the layer's size, the same figure the export path counts.
 *
 * Format (github.com/vbatts/tar-split, storage.Entry), one JSON object a line:
 * `{"type":2,"payload":"<base64 raw bytes>"}` for a raw segment and
 * `{"type":1,"name":"…","size":N,"payload":"<crc64>"}` for a file's content.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const FILE_ENTRY = 1;
const SEGMENT = 2;

/** The exported tar's length; null when the record is missing or unreadable (the size is then unknown). */
export async function tarSplitSize(file: string): Promise<number | null> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  let total = 0;
  try {
    for await (const line of lines) {
      if (!line) continue;
      const record = JSON.parse(line) as { type?: number; size?: number; payload?: string | null };
      if (record.type === SEGMENT && typeof record.payload === 'string') total += Buffer.byteLength(record.payload, 'base64');
      else if (record.type === FILE_ENTRY && typeof record.size === 'number') total += record.size;
    }
    return total;
  } catch {
    return null;
  } finally {
    lines.close();
    input.destroy();
  }
}
