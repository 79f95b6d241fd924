/**
 * The zip reader of the vulnerability import (helper/src/vulndb/sources/zip-file.ts) on
 * archives written by other tools: yazl (with and without ZIP64 records) and archiver (more
 * than 65,535 entries, which needs ZIP64), and on damaged ones: a flipped byte fails the
 * CRC-32 check, a cut-short file is refused, and nothing is returned that was not checked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import archiver from 'archiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipFile, ZipFormatError } from '@shipshape/helper/vulndb/sources/zip-file.ts';
import { readZip, CorruptArchiveError } from '@shipshape/helper/vulndb/sources/osv-files.ts';
import { zipOf } from '../support/osv-mirror.ts';

let work: string;
const record = (i: number) => JSON.stringify({ id: `TEST-${i}`, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg-${i}` } }] });

/** `count` records zipped by yazl, as the mirror's `zipOf` serves them. */
function yazlZip(count: number, options: { forceZip64Format?: boolean; compress?: boolean } = {}): Promise<Buffer> {
  return zipOf(Array.from({ length: count }, (_, i) => ({ id: `TEST-${i}`, text: record(i) })), options);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-zip-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('zip reader', () => {
  it('reads stored, deflated and ZIP64-recorded entries as written', async () => {
    for (const [name, options] of [['deflate', {}], ['stored', { compress: false }], ['zip64', { forceZip64Format: true }]] as const) {
      const file = join(work, `${name}.zip`);
      await writeFile(file, await yazlZip(50, options));
      const zip = ZipFile.open(file);
      try {
        expect(zip.entries.map((e) => e.name)).toEqual(Array.from({ length: 50 }, (_, i) => `TEST-${i}.json`));
        expect(zip.entries.map((e) => zip.read(e).toString())).toEqual(Array.from({ length: 50 }, (_, i) => record(i)));
      } finally {
        zip.close();
      }
    }
  });

  it('reads an archive of more than 65,535 entries (a ZIP64 end of directory)', async () => {
    const file = join(work, 'many.zip');
    const zip = archiver('zip', { store: true });
    const done = new Promise<void>((resolve) => createWriteStream(file).on('close', () => resolve()).on('open', function (this: NodeJS.WritableStream) { zip.pipe(this); }));
    for (let i = 0; i < 70_000; i++) zip.append(record(i), { name: `TEST-${i}.json` });
    await zip.finalize();
    await done;
    let n = 0;
    for await (const item of readZip(file)) {
      expect('record' in item && item.record.id).toBe(`TEST-${n}`);
      n++;
    }
    expect(n).toBe(70_000);
  });

  it('refuses damaged archives: a flipped byte fails the CRC, a cut-short file has no directory', async () => {
    const good = await yazlZip(5, { compress: false });
    const flipped = Buffer.from(good);
    const at = flipped.indexOf('pkg-2');
    flipped[at] = 'q'.charCodeAt(0);
    await writeFile(join(work, 'flipped.zip'), flipped);
    const zip = ZipFile.open(join(work, 'flipped.zip'));
    expect(() => zip.read(zip.entries[2]!)).toThrow(/fails its CRC-32 check/);
    expect(zip.read(zip.entries[1]!).toString()).toBe(record(1));
    zip.close();
    await writeFile(join(work, 'cut.zip'), good.subarray(0, good.length - 30));
    expect(() => ZipFile.open(join(work, 'cut.zip'))).toThrow(ZipFormatError);
    await expect((async () => {
      for await (const _ of readZip(join(work, 'cut.zip')));
    })()).rejects.toThrow(CorruptArchiveError);
  });
});
