import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport, Vulnerability } from '@shipshape/shared';
import { withFindingOrigins } from '../../vulndb/finding-origins.ts';
import { ReportStore } from '../report-store.ts';
import { ReportWriterThread } from './report-writer-thread.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-report-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const layerA = { diffId: 'sha256:aaaa', createdBy: 'FROM debian:12' };
const layerB = { diffId: 'sha256:bbbb', createdBy: 'RUN npm ci # "quoted" {x}' };
const finding = (id: string, details: string): Vulnerability => ({
  id,
  aliases: [],
  summary: `${id} summary`,
  details,
  severity: 'high',
  severitySource: 'advisory',
  cvss: { score: 7.5, vector: null },
  package: { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1', purl: 'pkg:deb/debian/openssl@3.0.11-1' },
  fixedVersions: ['3.0.13-1'],
  fixStatus: 'fixed',
  fixCommand: null,
  references: [],
  published: null,
  modified: null,
  layer: layerA,
  knownExploited: null,
  tags: ['fixable'],
});

/** A stored report, loaded back with its file's bytes, and a re-matched report made from it. */
async function storedAndMatched(store: ReportStore, id: string) {
  const stored: ScanReport = { image: { id: 'sha256:img', tags: ['app:1'], os: null, architecture: 'amd64', layers: [] }, packages: [], vulnerabilities: [], malware: [], notes: ['n'] };
  await store.save(stored, id);
  const fresh = await ReportStore.open(dir); // not in that store's memory: read from the file
  const loaded = (await fresh.loadWithBytes(id))!;
  expect(loaded.bytes).not.toBeNull();
  const canonical = [finding('CVE-2024-0001', 'a "layer": in text, \u2028 and 😀'), finding('CVE-2024-0002', '')];
  const copy = { ...canonical[0]!, layer: layerB };
  const stray = { ...finding('CVE-2024-0003', 'not handed out by the matcher'), layer: layerB };
  const origins = new Map<Vulnerability, Vulnerability>([
    [copy, canonical[0]!],
    [canonical[1]!, canonical[1]!],
  ]);
  const matched = withFindingOrigins({ ...loaded.report, vulnerabilities: [canonical[1]!, copy, stray], notes: [] as string[] }, origins);
  const report: ScanReport = { ...matched, notChecked: [{ category: 'sensitive', reason: 'analyzer failed' }] };
  return { fresh, loaded: { report: loaded.report, bytes: loaded.bytes! }, matched, report };
}

describe('ReportWriterThread', () => {
  it('writes what JSON.stringify gives for the re-matched report, findings sent by reference or whole', { timeout: 60_000 }, async () => {
    const store = await ReportStore.open(dir);
    const writer = (await ReportWriterThread.start())!;
    expect(writer).not.toBeNull();
    try {
      for (const id of ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']) {
        const { fresh, loaded, matched, report } = await storedAndMatched(store, id);
        await fresh.saveWritten(report, id, (path) => writer.write(path, report, loaded, matched));
        expect(await readFile(join(dir, 'reports', `${id}.json`), 'utf8')).toBe(JSON.stringify(report));
      }
      expect(writer.written).toBe(2);
    } finally {
      await writer.close();
    }
  });

  it('rejects writes once closed, so the caller writes the report itself', { timeout: 60_000 }, async () => {
    const store = await ReportStore.open(dir);
    const writer = (await ReportWriterThread.start())!;
    await writer.close();
    const id = '00000000-0000-4000-8000-000000000003';
    const { loaded, matched, report } = await storedAndMatched(store, id);
    await expect(writer.write(join(dir, 'x.tmp'), report, loaded, matched)).rejects.toThrow('closed');
  });

  it('tells a failed write (its file cannot be made)', { timeout: 60_000 }, async () => {
    const store = await ReportStore.open(dir);
    const writer = (await ReportWriterThread.start())!;
    try {
      const { loaded, matched, report } = await storedAndMatched(store, '00000000-0000-4000-8000-000000000004');
      await expect(writer.write(join(dir, 'no-such-folder', 'x.tmp'), report, loaded, matched)).rejects.toThrow('ENOENT');
      expect(writer.written).toBe(0);
    } finally {
      await writer.close();
    }
  });
});
