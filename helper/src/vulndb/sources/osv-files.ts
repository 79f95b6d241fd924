/**
 * OSV records from files: JSON Lines (optionally gzip), single `.json` records (or an
 * array of them), zip archives (osv.dev's `<Ecosystem>/all.zip`: one `<ID>.json` per
 * entry, read entry by entry, zip-file.ts) and folders of any of these. Everything streams:
 * a line or one zip entry at a time.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseOsvText, type SourceItem } from './parsed.ts';
import { ZipFile } from './zip-file.ts';
import { failureMessage } from '@shipshape/analyzers/walker/failures.ts';

export async function* readJsonLines(file: string): AsyncGenerator<SourceItem> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    yield parseOsvText(line, `${file}:${n}`);
  }
}

export async function* readJsonFile(file: string): AsyncGenerator<SourceItem> {
  const text = (await readFile(file, 'utf8')).trim();
  if (text.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch (error) {
      yield { problem: `invalid JSON: ${failureMessage(error)}`, where: file };
      return;
    }
    for (const [i, value] of (list as unknown[]).entries()) yield parseOsvText(JSON.stringify(value), `${file}[${i}]`);
    return;
  }
  yield parseOsvText(text, file);
}

/** One OSV record is kilobytes (the largest real ones, with long version lists, well under 1 MB). */
const MAX_RECORD_BYTES = 32 * 1024 * 1024;

export class CorruptArchiveError extends Error {
  override name = 'CorruptArchiveError';
}

/** Each `.json` entry of a zip. A damaged archive throws CorruptArchiveError (callers roll back). */
export async function* readZip(file: string): AsyncGenerator<SourceItem> {
  let zip: ZipFile;
  try {
    zip = ZipFile.open(file);
  } catch (error) {
    throw new CorruptArchiveError(`${file} is not a readable zip archive: ${(error as Error).message}`);
  }
  try {
    let n = 0;
    for (const entry of zip.entries) {
      if (!entry.name.endsWith('.json') || entry.name.endsWith('/')) continue;
      if (entry.uncompressedSize > MAX_RECORD_BYTES || entry.compressedSize > MAX_RECORD_BYTES) {
        yield { problem: `entry of ${entry.uncompressedSize} bytes is larger than any advisory (limit ${MAX_RECORD_BYTES})`, where: `${file}!${entry.name}` };
        continue;
      }
      let text: string;
      try {
        text = zip.read(entry).toString('utf8');
      } catch (error) {
        throw new CorruptArchiveError(`${file} is corrupt at ${entry.name}: ${(error as Error).message}`);
      }
      yield parseOsvText(text, `${file}!${entry.name}`);
      // Reading is synchronous: let the event loop breathe now and then (abort, progress).
      if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    zip.close();
  }
}

/** Every OSV file under a folder, in name order, recursively. */
export async function* readFolder(dir: string): AsyncGenerator<SourceItem> {
  const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of names) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* readFolder(path);
    else if (/\.jsonl(\.gz)?$/.test(entry.name)) yield* readJsonLines(path);
    else if (entry.name.endsWith('.json')) yield* readJsonFile(path);
    else if (entry.name.endsWith('.zip')) yield* readZip(path);
  }
}
