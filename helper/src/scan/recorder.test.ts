import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zeroRisks } from '../state/schema.ts';
import type { ScanReport, ServerEvent, Vulnerability } from '@shipshape/shared';
import { memoryHost } from './memory-host.ts';
import { KEEP_REPORTS_PER_IMAGE, ScanRecorder } from './recorder.ts';
import { ReportStore } from './report-store.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const layer = { diffId: 'sha256:l1', createdBy: null };
const vuln = (severity: Vulnerability['severity'], fixed: boolean): Vulnerability => ({
  id: `V-${severity}-${fixed}`,
  aliases: [],
  summary: '',
  details: '',
  severity,
  cvss: { score: null, vector: null },
  package: { ecosystem: 'npm', name: 'x', version: '1', purl: 'pkg:npm/x@1' },
  fixedVersions: fixed ? ['2'] : [],
  fixStatus: fixed ? 'fixed' : 'no fix yet',
  fixCommand: null,
  references: [],
  published: null,
  modified: null,
  layer,
  tags: [],
});
const report = (vulnerabilities: Vulnerability[]): ScanReport => ({ image: { id: 'sha256:img', tags: [], os: null, architecture: 'amd64', layers: [] }, packages: [], vulnerabilities, notes: [] });

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'recorder-'));
  dirs.push(dir);
  const host = memoryHost([
    {
      inventory: { id: 'sha256:img', repoTags: ['app:1'], diffIds: ['sha256:l1'], history: [] },
      scan: { scanStatus: 'scanning', securityStatus: 'unknown', risks: zeroRisks(), lastScanned: null, highPriority: false, priorityScore: 0, distro: null },
    },
  ]);
  const events: ServerEvent[] = [];
  const reports = await ReportStore.open(dir);
  return { host, events, reports, recorder: new ScanRecorder(host, reports, (e) => events.push(e)) };
}

describe('ScanRecorder', () => {
  it('says incomplete, never safe, when a category asked for could not be evaluated; a finding still makes it at risk', async () => {
    const { host, reports, recorder } = await setup();
    const input = { imageId: 'sha256:img', name: 'app:1', taskId: 't', categories: ['vulnerabilities' as const, 'sensitive' as const], runningContainers: 0 };
    const gap = [{ category: 'vulnerabilities' as const, reason: 'no vulnerability data' }];
    const entry = await recorder.record({ ...input, report: report([]), notChecked: gap });
    expect(entry).toMatchObject({ securityStatus: 'incomplete', notChecked: gap });
    expect(host.image('sha256:img')!.scan).toMatchObject({ securityStatus: 'incomplete', notChecked: gap });
    expect((await reports.load(entry.id))!.notChecked).toEqual(gap);
    const withFinding = await recorder.record({ ...input, report: report([vuln('low', false)]), notChecked: gap });
    expect(withFinding.securityStatus).toBe('at_risk');
    const complete = await recorder.record({ ...input, report: report([]) });
    expect(complete).toMatchObject({ securityStatus: 'safe', notChecked: [] });
    expect((await reports.load(complete.id))!.notChecked).toBeUndefined();
  });

  it('stores the report, sets counts, status and priority, and announces a new high-priority image once', async () => {
    const { host, events, reports, recorder } = await setup();
    const input = { imageId: 'sha256:img', name: 'app:1', taskId: 't', categories: ['vulnerabilities' as const], runningContainers: 1 };
    const entry = await recorder.record({ ...input, report: report([vuln('critical', true), vuln('high', false)]) });
    expect(host.image('sha256:img')!.scan).toMatchObject({ scanStatus: 'scanned', securityStatus: 'at_risk', highPriority: true, priorityScore: 15 });
    const stored = await reports.load(entry.id);
    expect(stored!.vulnerabilities!.map((v) => v.tags)).toEqual([['fixable', 'suggested'], []]);
    await recorder.record({ ...input, report: report([vuln('critical', true)]) });
    expect(events.filter((e) => e.type === 'risk.high_priority')).toHaveLength(1);
  });

  it('keeps the last few reports per image and deletes older files', async () => {
    const { host, reports, recorder } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < KEEP_REPORTS_PER_IMAGE + 2; i++) {
      ids.push((await recorder.record({ imageId: 'sha256:img', name: 'app:1', taskId: null, categories: ['vulnerabilities'], runningContainers: 0, report: report([]) })).id);
    }
    expect(host.image('sha256:img')!.scan.reports!.map((r) => r.id)).toEqual(ids.slice(-KEEP_REPORTS_PER_IMAGE).reverse());
    expect(await reports.load(ids[0]!)).toBeNull();
    expect(host.image('sha256:img')!.scan.securityStatus).toBe('safe');
  });

  it('deletes a dropped report only after the state that no longer lists it is on disk', async () => {
    const { host, reports, recorder } = await setup();
    const order: string[] = [];
    let failing = false;
    const writable = Object.assign(host, {
      lastWriteError: null as Error | null,
      persisted: async () => {
        order.push('persisted');
        writable.lastWriteError = failing ? new Error('ENOSPC') : null;
      },
    });
    const remove = reports.remove.bind(reports);
    reports.remove = async (id) => {
      order.push(`remove ${id}`);
      await remove(id);
    };
    const record = () => recorder.record({ imageId: 'sha256:img', name: 'app:1', taskId: null, categories: ['vulnerabilities'], runningContainers: 0, report: report([]) });
    const ids: string[] = [];
    for (let i = 0; i < KEEP_REPORTS_PER_IMAGE; i++) ids.push((await record()).id);
    expect(order).toEqual([]);

    failing = true;
    ids.push((await record()).id);
    expect(order).toEqual(['persisted']);
    expect(await reports.load(ids[0]!)).not.toBeNull();

    failing = false;
    ids.push((await record()).id);
    expect(order).toEqual(['persisted', 'persisted', `remove ${ids[1]}`]);
  });
});

describe('ReportStore.sweep', () => {
  it('removes report files no image lists and temp files of cut-short writes, and keeps the listed ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'));
    dirs.push(dir);
    const reports = await ReportStore.open(dir);
    const kept = await reports.save(report([]));
    const orphan = await reports.save(report([]));
    await writeFile(join(dir, 'reports', `${kept}.json.123.tmp`), '{"half":');
    expect(await reports.sweep(new Set([kept]))).toBe(2);
    expect(await readdir(join(dir, 'reports'))).toEqual([`${kept}.json`]);
    expect(await new ReportStore(join(dir, 'reports')).load(orphan)).toBeNull();
  });
});
