import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarSplitLineSize, tarSplitSize } from './tar-split-size.ts';

/** A line as tar-split's Go encoder writes it: fields in struct order, `name` and `size` omitted when empty. */
function goLine(entry: { type: 1 | 2; name?: string; size?: number; payload: Buffer | null; position: number }): string {
  const record: Record<string, unknown> = { type: entry.type };
  if (entry.name) record.name = entry.name;
  if (entry.size) record.size = entry.size;
  record.payload = entry.payload === null ? null : entry.payload.toString('base64');
  record.position = entry.position;
  return JSON.stringify(record);
}

/** What the record adds up to, read the plain way: every line through JSON.parse. */
function reference(lines: string[]): number {
  let total = 0;
  for (const line of lines) {
    if (!line) continue;
    const r = JSON.parse(line) as { type: number; size?: number; payload?: string | null };
    if (r.type === 2 && typeof r.payload === 'string') total += Buffer.byteLength(r.payload, 'base64');
    else if (r.type === 1 && typeof r.size === 'number') total += r.size;
  }
  return total;
}

const HOSTILE_NAMES = [
  './usr/bin/env',
  './odd,"size":999999,"x',
  './quote"and\\backslash\\',
  './ends-with-backslash\\',
  './newline\nin name',
  './ünïcödé/文件/😀',
  './size',
  './"size":7}',
  '',
];

function record(files: number): string[] {
  const lines: string[] = [];
  let position = 0;
  for (let i = 0; i < files; i++) {
    // Header segments of every length mod 3 (base64 padding 0, 1 and 2), some empty.
    lines.push(goLine({ type: 2, payload: Buffer.alloc((i * 7) % 1030, i & 0xff), position: position++ }));
    const name = HOSTILE_NAMES[i % HOSTILE_NAMES.length]! + (i >= HOSTILE_NAMES.length ? `-${i}` : '');
    lines.push(goLine({ type: 1, name, size: i % 5 === 0 ? 0 : i * 131, payload: i % 5 === 0 ? null : Buffer.from('crc64..!'), position: position++ }));
  }
  lines.push(goLine({ type: 2, payload: Buffer.alloc(1024), position: position++ }));
  return lines;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tar-split-size-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function gzFile(name: string, text: string | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, gzipSync(typeof text === 'string' ? Buffer.from(text) : text));
  return file;
}

describe('tarSplitSize (the exported length of a layer from its tar-split record)', () => {
  it('each line in Go form counts what JSON.parse of it counts, whatever the file name holds', () => {
    for (const line of record(60)) expect(tarSplitLineSize(Buffer.from(line)), line.slice(0, 80)).toBe(reference([line]));
  });

  it('lines in another form (spacing, field order) are read as JSON', () => {
    const odd = ['{ "type": 1, "name": "./a", "size": 12, "payload": null, "position": 3 }', '{"payload":"AAAA","type":2,"position":0}', '{"type":1,"size":5,"name":"./b","payload":null,"position":1}'];
    for (const line of odd) expect(tarSplitLineSize(Buffer.from(line))).toBe(reference([line]));
  });

  it('a record of thousands of files, lines cut across chunks, sums as the plain reading does', async () => {
    const lines = record(5000);
    const file = await gzFile('big.json.gz', `${lines.join('\n')}\n`);
    const expected = reference(lines);
    expect(expected).toBeGreaterThan(5_000_000);
    expect(await tarSplitSize(file)).toBe(expected);
    // Without the last newline, and with a line longer than any chunk (a long PAX name).
    const long = goLine({ type: 1, name: `./${'n'.repeat(200_000)}`, size: 77, payload: null, position: 0 });
    const file2 = await gzFile('long.json.gz', [long, ...lines].join('\n'));
    expect(await tarSplitSize(file2)).toBe(expected + 77);
  });

  it('a missing, corrupt or non-JSON record gives null (size unknown), not a wrong figure', async () => {
    expect(await tarSplitSize(join(dir, 'missing.json.gz'))).toBeNull();
    const corrupt = join(dir, 'corrupt.json.gz');
    await writeFile(corrupt, gzipSync(Buffer.from(record(100).join('\n'))).subarray(0, 500));
    expect(await tarSplitSize(corrupt)).toBeNull();
    expect(await tarSplitSize(await gzFile('garbage.json.gz', 'not json\n'))).toBeNull();
  });
});
