import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Package, ScanReport } from '@shipshape/shared';
import { zeroRisks } from '../../state/schema.ts';
import { ReportStore } from '../report-store.ts';
import { inThreadRematcher } from './rematcher.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-rematcher-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pkg = (name: string, diffId: string, createdBy: string | null): Package => ({ ecosystem: 'npm', name, version: '1.0.0', sourceName: null, sourceVersion: null, purl: `pkg:npm/${name}@1.0.0`, paths: [`/app/node_modules/${name}/package.json`], layer: { diffId, createdBy } });

describe('inThreadRematcher', () => {
  it('hands the matcher each report with the packages of one layer sharing one layer object', async () => {
    const id = '00000000-0000-4000-8000-0000000000aa';
    const writeStore = await ReportStore.open(dir);
    const packages = [pkg('a', 'sha256:1', 'RUN npm ci'), pkg('b', 'sha256:1', 'RUN npm ci'), pkg('c', 'sha256:1', null), pkg('d', 'sha256:2', 'RUN npm ci'), pkg('e', 'sha256:1', null)];
    const stored: ScanReport = { image: { id: 'sha256:img', tags: [], os: null, architecture: 'amd64', layers: [] }, packages, vulnerabilities: [], malware: [], notes: [] };
    await writeStore.save(stored, id);
    const seen: ScanReport[] = [];
    await inThreadRematcher({ reports: await ReportStore.open(dir), match: (report) => (seen.push(report), report) })({
      targets: [{ imageId: 'sha256:img', entry: { id, imageId: 'sha256:img', taskId: 't', scannedAt: '2026-12-01T00:00:00.000Z', categories: ['vulnerabilities'], risks: zeroRisks(), securityStatus: 'safe', notChecked: [], priorityScore: 0, highPriority: false, packages: 5, rematchedAt: null }, repoDigests: [], runningContainers: 0 }],
      ignores: [],
      now: new Date('2026-12-05T00:00:00.000Z'),
      onOutcome: () => undefined,
      signal: new AbortController().signal,
    });
    const [a, b, c, d, e] = seen[0]!.packages.map((p) => p.layer);
    expect(a).toBe(b);
    expect(c).toBe(e);
    expect(new Set([a, c, d]).size).toBe(3);
    expect(seen[0]!.packages).toEqual(packages);
  });
});
