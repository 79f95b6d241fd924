import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanReport, ServerEvent } from '@shipshape/shared';
import { zeroRisks } from '../state/schema.ts';
import { DataUpdateBusyError, DataUpdater, type DataUpdateDeps } from './data-update.ts';
import { memoryHost } from './memory-host.ts';
import { inThreadRematcher } from './rematch/rematcher.ts';
import { ScanRecorder } from './recorder.ts';
import { ReportStore } from './report-store.ts';
import { ScanDataStore } from './scan-data.ts';
import { INVENTORY_LAYER, inventoryReport } from '../testing/inventory-report.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});


async function setup(
  advisoryFor: (name: string) => boolean,
  failVulnData = false,
  notChecked: Array<{ category: 'vulnerabilities' | 'sensitive' | 'malware'; reason: string }> = [],
  exploited: () => boolean = () => false,
  update?: DataUpdateDeps['updateVulnData'],
  vulnerabilityGap?: (report: ScanReport) => string | null,
) {
  const dir = await mkdtemp(join(tmpdir(), 'data-update-'));
  dirs.push(dir);
  const record = (id: string) => ({
    inventory: { id, repoTags: [id], diffIds: [], history: [] },
    scan: { scanStatus: 'scanned' as const, securityStatus: 'safe' as const, risks: zeroRisks(), lastScanned: '2026-01-01T00:00:00.000Z', highPriority: false, priorityScore: 0, distro: null },
  });
  const host = memoryHost([record('sha256:a'), record('sha256:b'), record('sha256:never')]);
  const reports = await ReportStore.open(dir);
  const events: ServerEvent[] = [];
  const recorder = new ScanRecorder(host, reports, (e) => events.push(e));
  for (const id of ['sha256:a', 'sha256:b']) await recorder.record({ imageId: id, name: id, taskId: 't', categories: ['vulnerabilities'], report: inventoryReport(id), runningContainers: 0, notChecked });
  const updater = new DataUpdater({
    state: host,
    data: new ScanDataStore(host),
    recorder,
    refreshInventory: async () => {},
    updateVulnData:
      update ??
      (async () => {
        if (failVulnData) throw new Error('feed unreachable');
        return { advisories: 1, source: 'test' };
      }),
    rematcher: () =>
      inThreadRematcher({
        reports,
        ...(vulnerabilityGap ? { gap: vulnerabilityGap } : {}),
        match: (report) => ({
          ...report,
          vulnerabilities: report.image.id === 'sha256:a' && advisoryFor('lodash') ? [{ id: 'T-1', aliases: [], summary: '', details: '', severity: 'high', cvss: { score: null, vector: null }, package: { ecosystem: 'npm', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' }, fixedVersions: ['4.17.21'], fixStatus: 'fixed', fixCommand: null, references: [], published: null, modified: null, layer: INVENTORY_LAYER, tags: [], knownExploited: exploited() ? { cve: 'CVE-2021-23337', dateAdded: '2026-01-02', dueDate: null, ransomware: false, name: null } : null }] : [],
        }),
      }),
    runningContainers: () => 0,
    emit: (e) => events.push(e),
  });
  return { host, updater, events };
}

describe('DataUpdater', () => {
  it('re-matches every stored inventory, rewrites only the changed ones, and keeps the scan time', async () => {
    const { host, updater, events } = await setup(() => true);
    const result = await updater.start();
    expect(result).toMatchObject({ outcome: 'success', rematched: 2, changedImages: 1 });
    const a = host.image('sha256:a')!.scan;
    expect(a).toMatchObject({ securityStatus: 'at_risk', risks: { vulnerabilities: { high: 1 } } });
    expect(a.lastScanned).toBe(a.reports![0]!.scannedAt);
    expect(host.image('sha256:b')!.scan.reports![0]!.rematchedAt).not.toBeNull();
    expect(events.filter((e) => e.type === 'data_update.progress').at(-1)).toMatchObject({ status: { running: false, lastResult: { outcome: 'success' } } });
    expect(updater.status().lastResult?.phaseSeconds.rematch).toBeGreaterThanOrEqual(0);
  });

  it('runs one update at a time and records a failure with its reason', async () => {
    const { updater } = await setup(() => false, true);
    const running = updater.start();
    expect(() => updater.start()).toThrow(DataUpdateBusyError);
    expect(await running).toMatchObject({ outcome: 'error', reason: 'feed unreachable', rematched: 0 });
  });

  it('reports each source while the data updates (byte counts now and then, each change of phase at once) and keeps how each ended', async () => {
    let seenDuring: unknown;
    const { updater, events } = await setup(() => false, false, [], () => false, async (_request, _signal, progress) => {
      progress({ name: 'OSV npm', phase: 'pending' });
      progress({ name: 'OSV Go', phase: 'pending' });
      for (let received = 1; received <= 100; received++) progress({ name: 'OSV npm', phase: 'downloading', receivedBytes: received * 1000, totalBytes: 100_000 });
      progress({ name: 'OSV npm', phase: 'updated', records: 42 });
      progress({ name: 'OSV Go', phase: 'failed', error: 'fetch failed (ECONNREFUSED)' });
      seenDuring = updater.status().sources;
      return { advisories: 42, source: 'test' };
    });
    const result = await updater.start();
    const ended = [
      { name: 'OSV npm', phase: 'updated', records: 42 },
      { name: 'OSV Go', phase: 'failed', error: 'fetch failed (ECONNREFUSED)' },
    ];
    expect(seenDuring).toEqual(ended);
    expect(result.sources).toEqual(ended);
    const sent = events.flatMap((e) => (e.type === 'data_update.progress' && e.status.running ? [e.status.sources ?? []] : []));
    const downloads = sent.filter((sources) => sources.find((s) => s.name === 'OSV npm')?.phase === 'downloading');
    expect(downloads.length).toBeGreaterThanOrEqual(1); // the first chunk goes out at once
    expect(downloads.length).toBeLessThan(100); // not one event per chunk
    expect(sent.some((sources) => sources.some((s) => s.name === 'OSV Go' && s.phase === 'failed'))).toBe(true);
    expect(updater.status().lastResult?.sources).toEqual(ended);
  });

  it('turns images scanned without vulnerability data into verdicts once the data is there, keeping other gaps', async () => {
    const gaps = [
      { category: 'vulnerabilities' as const, reason: 'no vulnerability data' },
      { category: 'malware' as const, reason: 'clamd did not answer' },
      { category: 'vulnerabilities' as const, reason: 'analyzer lang/npm failed once (boom): scan again' },
    ];
    const { host, updater } = await setup(() => true, false, gaps);
    expect(host.image('sha256:b')!.scan.securityStatus).toBe('incomplete');
    await updater.start();
    // a: a finding now; b: nothing found, but malware still was not checked (and an analyzer failed), so still not "safe".
    expect(host.image('sha256:a')!.scan).toMatchObject({ securityStatus: 'at_risk', notChecked: [gaps[1], gaps[2]] });
    expect(host.image('sha256:b')!.scan).toMatchObject({ securityStatus: 'incomplete', notChecked: [gaps[1], gaps[2]] });
  });

  it('says afresh which ecosystems the new data lacks: an image is safe only once all of its packages could be judged', async () => {
    const lacking = 'no vulnerability data for Debian (3 packages): those packages were not checked. Update data fetches the ecosystems of the scanned images (or import their advisories)';
    let dataHasDebian = false;
    const { host, updater } = await setup(() => false, false, [{ category: 'vulnerabilities', reason: 'no vulnerability data' }], () => false, undefined, () => (dataHasDebian ? null : lacking));
    await updater.start();
    for (const id of ['sha256:a', 'sha256:b']) expect(host.image(id)!.scan).toMatchObject({ securityStatus: 'incomplete', notChecked: [{ category: 'vulnerabilities', reason: lacking }] });
    dataHasDebian = true;
    expect((await updater.start()).changedImages).toBe(2);
    for (const id of ['sha256:a', 'sha256:b']) expect(host.image(id)!.scan).toMatchObject({ securityStatus: 'safe', notChecked: [] });
  });

  it('makes a clean image safe when the only gap was the missing vulnerability data', async () => {
    const { host, updater } = await setup(() => false, false, [{ category: 'vulnerabilities', reason: 'no vulnerability data' }]);
    expect(host.image('sha256:a')!.scan.securityStatus).toBe('incomplete');
    const result = await updater.start();
    expect(result.changedImages).toBe(2);
    for (const id of ['sha256:a', 'sha256:b']) expect(host.image(id)!.scan).toMatchObject({ securityStatus: 'safe', notChecked: [] });
  });

  it('tells each source\'s progress, and a success with a failed source says which one kept its old data', async () => {
    const source = (name: string, phase: 'downloading' | 'updated' | 'failed', error: string | null = null) => ({ name, phase, receivedBytes: 10, totalBytes: 20, records: phase === 'updated' ? 5 : null, error });
    const { updater, events } = await setup(() => false, false, [], () => false, async (_request, _signal, onSource) => {
      onSource(source('OSV npm', 'downloading'));
      onSource(source('OSV npm', 'updated'));
      onSource(source('OSV Go', 'failed', 'cannot reach http://127.0.0.1:9/Go/all.zip: ECONNREFUSED'));
      return { advisories: 5, source: 'osv.dev' };
    });
    const result = await updater.start({}, 'auto');
    expect(result).toMatchObject({ outcome: 'success', trigger: 'auto' });
    expect(result.sources?.map((s) => [s.name, s.phase])).toEqual([
      ['OSV npm', 'updated'],
      ['OSV Go', 'failed'],
    ]);
    expect(result.reason).toMatch(/^1 of 2 sources failed and kept their previous data \(OSV Go: cannot reach/);
    const progress = events.filter((e) => e.type === 'data_update.progress').map((e) => (e.type === 'data_update.progress' ? e.status : null));
    expect(progress.some((p) => p?.running && p.sources?.some((s) => s.name === 'OSV npm' && s.phase === 'downloading'))).toBe(true);
    expect(updater.status()).toMatchObject({ running: false, lastResult: { trigger: 'auto' } });
  });

  it('announces findings that a data update made known-exploited, once, and the image becomes high priority', async () => {
    let inKev = false;
    const { host, updater, events } = await setup(() => true, false, [], () => inKev);
    await updater.start();
    expect(events.filter((e) => e.type === 'risk.known_exploited')).toEqual([]);
    expect(host.image('sha256:a')!.scan).toMatchObject({ highPriority: false, priorityScore: 4 });
    inKev = true;
    await updater.start();
    expect(events.filter((e) => e.type === 'risk.known_exploited')).toEqual([
      { type: 'risk.known_exploited', imageId: 'sha256:a', name: 'sha256:a', findings: [{ id: 'T-1', cve: 'CVE-2021-23337', package: 'lodash 4.17.15', dateAdded: '2026-01-02' }] },
    ]);
    expect(host.image('sha256:a')!.scan).toMatchObject({ highPriority: true, priorityScore: 10 });
    await updater.start();
    expect(events.filter((e) => e.type === 'risk.known_exploited')).toHaveLength(1);
  });
});
