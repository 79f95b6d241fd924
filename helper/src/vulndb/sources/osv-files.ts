/**
 * OSV records from files: JSON Lines (optionally gzip), single `.json` records (or an
 * array of them), zip archives (osv.dev's `<Ecosystem>/all.zip`: one `<ID>.json` per
 * entry, read entry by entry) and folders of any of these. Everything streams: a line or
 * one zip entry at a time.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { parseOsvText, type SourceItem } from './parsed.ts';
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

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) =>
      error || !zip ? reject(new CorruptArchiveError(`${file} is not a readable zip archive: ${error?.message ?? 'unknown error'}`)) : resolve(zip),
    ),
  );
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }),
  );
}

/** Each `.json` entry of a zip. A damaged archive throws CorruptArchiveError (callers roll back). */
export async function* readZip(file: string): AsyncGenerator<SourceItem> {
  const zip = await openZip(file);
  const entries: yauzl.Entry[] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  zip.on('entry', (e: yauzl.Entry) => {
    entries.push(e);
    signal();
  });
  zip.on('end', () => {
    done = true;
    signal();
  });
  zip.on('error', (e: Error) => {
    failure = e;
    signal();
  });
  zip.readEntry();
  try {
    for (;;) {
      if (failure) throw new CorruptArchiveError(`${file} is corrupt: ${(failure as Error).message}`);
      const entry = entries.shift();
      if (!entry) {
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (entry.fileName.endsWith('.json') && entry.uncompressedSize > MAX_RECORD_BYTES) {
        yield { problem: `entry of ${entry.uncompressedSize} bytes is larger than any advisory (limit ${MAX_RECORD_BYTES})`, where: `${file}!${entry.fileName}` };
      } else if (entry.fileName.endsWith('.json') && !entry.fileName.endsWith('/')) {
        let text: string;
        try {
          text = await readEntry(zip, entry);
        } catch (error) {
          throw new CorruptArchiveError(`${file} is corrupt at ${entry.fileName}: ${(error as Error).message}`);
        }
        yield parseOsvText(text, `${file}!${entry.fileName}`);
      }
      zip.readEntry();
    }
  } finally {
    // autoClose has closed it at the end; close here only when iteration stopped early.
    if ((zip as unknown as { isOpen?: boolean }).isOpen) zip.close();
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
