import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanReport } from '@shipshape/shared';
import { ReportStore } from './report-store.ts';

const report = (id: string, notes: number, noteSize = 20): ScanReport =>
  ({ image: { id, tags: [], os: null, architecture: 'amd64', layers: [] }, packages: [], vulnerabilities: [], notes: Array.from({ length: notes }, (_, i) => `${id} note ${i} ${'é'.repeat(noteSize)}`) }) as unknown as ScanReport;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-report-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ReportStore.load', () => {
  it('reads each report when loads overlap (one shared read buffer), and a report bigger than the buffer', async () => {
    const store = await ReportStore.open(dir);
    const reports = [...Array.from({ length: 6 }, (_, i) => report(`sha256:${i}`, 1_500 + i)), report('sha256:big', 40_000, 40)];
    const ids = [];
    for (const r of reports) ids.push(await store.save(r));
    const fresh = new ReportStore(join(dir, 'reports')); // nothing remembered
    expect(await Promise.all(ids.map((id) => fresh.load(id)))).toEqual(reports);
    expect(await fresh.load(ids[0]!)).toEqual(reports[0]);
  });
});

describe('ReportStore.save', () => {
  it('writes each report as its JSON, when saves overlap (one shared encode buffer)', async () => {
    const store = await ReportStore.open(dir);
    const reports = Array.from({ length: 8 }, (_, i) => report(`sha256:${i}`, 2_000 + i));
    const ids = await Promise.all(reports.map((r) => store.save(r)));
    for (const [i, id] of ids.entries()) {
      expect(await readFile(join(dir, 'reports', `${id}.json`), 'utf8')).toBe(JSON.stringify(reports[i]));
      expect(await new ReportStore(join(dir, 'reports')).load(id)).toEqual(reports[i]);
    }
  });

  it('writes a report bigger than the encode buffer, and a small one after it', async () => {
    const store = await ReportStore.open(dir);
    const big = report('sha256:big', 40_000, 40); // ~4 MB of UTF-8
    const small = report('sha256:small', 3);
    const [bigId, smallId] = [await store.save(big), await store.save(small)];
    expect((await readFile(join(dir, 'reports', `${bigId}.json`))).length).toBeGreaterThan(2 << 20);
    expect(await readFile(join(dir, 'reports', `${bigId}.json`), 'utf8')).toBe(JSON.stringify(big));
    expect(await readFile(join(dir, 'reports', `${smallId}.json`), 'utf8')).toBe(JSON.stringify(small));
  });
});
