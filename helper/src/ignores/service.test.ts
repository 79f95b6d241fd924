import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '@shipshape/shared';
import { ManualClock } from '../schedule/clock.ts';
import { memoryHost } from '../scan/memory-host.ts';
import { ScanRecorder } from '../scan/recorder.ts';
import { ReportStore } from '../scan/report-store.ts';
import { zeroRisks } from '../state/schema.ts';
import { IgnoreService } from './service.ts';
import { IMAGE, OTHER_IMAGE, report, secret, vuln } from './testing.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const DAY = 24 * 3600_000;
const image = (id: string, tag: string) => ({
  inventory: { id, repoTags: [tag], diffIds: [], history: [], repoDigests: [] },
  scan: { scanStatus: 'not_scanned' as const, securityStatus: 'unknown' as const, risks: zeroRisks(), lastScanned: null, highPriority: false, priorityScore: 0, distro: null },
});

async function setup(clock = new ManualClock(new Date('2026-06-01T12:00:00Z')), host = memoryHost([image(IMAGE, 'app:1'), image(OTHER_IMAGE, 'app:2')])) {
  const dir = await mkdtemp(join(tmpdir(), 'ignores-'));
  dirs.push(dir);
  const reports = await ReportStore.open(dir);
  const events: ServerEvent[] = [];
  const changed: string[] = [];
  const ignores = new IgnoreService({ state: host, reports, clock, runningContainers: () => 0, changed: (id) => changed.push(id), emit: (e) => events.push(e) });
  const recorder = new ScanRecorder(host, reports, (e) => events.push(e), () => clock.now(), ignores);
  for (const id of [IMAGE, OTHER_IMAGE]) {
    await recorder.record({ imageId: id, name: id, taskId: 't', categories: ['vulnerabilities', 'sensitive'], runningContainers: 0, report: report({ vulnerabilities: [vuln('GHSA-1', 'lodash@4.17.15')], sensitive: [secret('private-key', '/root/.ssh/id_rsa')] }, id) });
  }
  events.length = 0;
  return { host, clock, ignores, recorder, events, changed };
}

const base = { imageName: null, justification: null, note: '', expiresAt: null, setBy: 'browser' as const };

describe('IgnoreService', () => {
  it('takes ignored findings out of counts, status and priority of the images they are for, and back when removed', async () => {
    const { host, ignores, changed } = await setup();
    expect(host.image(IMAGE)!.scan).toMatchObject({ securityStatus: 'at_risk', highPriority: true, risks: { sensitive: 1, vulnerabilities: { critical: 1 } } });
    const [forOne] = await ignores.add([{ ...base, target: { kind: 'vulnerability', id: 'GHSA-1', package: null }, image: IMAGE, reason: 'accepted' }]);
    await ignores.add([{ ...base, target: { kind: 'secret', ruleId: 'private-key', path: '/root/.ssh/id_rsa' }, image: null, reason: 'false_positive' }]);
    expect(host.image(IMAGE)!.scan).toMatchObject({ securityStatus: 'safe', highPriority: false, priorityScore: 0, risks: { sensitive: 0, vulnerabilities: { critical: 0 } } });
    expect(host.image(IMAGE)!.scan.reports![0]).toMatchObject({ securityStatus: 'safe', highPriority: false });
    expect(host.image(OTHER_IMAGE)!.scan).toMatchObject({ securityStatus: 'at_risk', highPriority: true, risks: { sensitive: 0, vulnerabilities: { critical: 1 } } });
    expect(changed).toEqual([IMAGE, IMAGE, OTHER_IMAGE]);
    expect(await ignores.remove(forOne!.id)).toBe(true);
    expect(host.image(IMAGE)!.scan).toMatchObject({ securityStatus: 'at_risk', highPriority: true, risks: { vulnerabilities: { critical: 1 } } });
    expect(await ignores.remove(forOne!.id)).toBe(false);
  });

  it('a new scan of the image keeps honouring the ignore (the recorder reads the same rules)', async () => {
    const { host, ignores, recorder, events } = await setup();
    await ignores.add([{ ...base, target: { kind: 'vulnerability', id: 'GHSA-1', package: 'pkg:npm/lodash@4.17.15' }, image: IMAGE, reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }]);
    await recorder.record({ imageId: IMAGE, name: 'app:1', taskId: 't2', categories: ['vulnerabilities'], runningContainers: 0, report: report({ vulnerabilities: [vuln('GHSA-1', 'lodash@4.17.15')] }) });
    expect(host.image(IMAGE)!.scan).toMatchObject({ securityStatus: 'safe', highPriority: false });
    expect(events.filter((e) => e.type === 'risk.high_priority')).toEqual([]);
  });

  it('a data-update re-match that changes the findings keeps honouring the ignore', async () => {
    const { host, ignores, recorder } = await setup();
    await ignores.add([{ ...base, target: { kind: 'vulnerability', id: 'GHSA-1', package: null }, image: IMAGE, reason: 'accepted' }]);
    const entry = host.image(IMAGE)!.scan.reports![0]!;
    await recorder.record({ imageId: IMAGE, name: 'app:1', taskId: entry.taskId, categories: entry.categories, runningContainers: 0, rematchOf: entry, report: report({ vulnerabilities: [vuln('GHSA-1', 'lodash@4.17.15'), vuln('GHSA-2', 'ip@1.1.8', { severity: 'low' })], sensitive: [] }) });
    expect(host.image(IMAGE)!.scan).toMatchObject({ securityStatus: 'at_risk', risks: { vulnerabilities: { critical: 0, low: 1 } }, highPriority: false });
    expect(host.image(IMAGE)!.scan.reports![0]).toMatchObject({ id: entry.id, rematchedAt: expect.any(String) });
  });

  it('an expired ignore counts again by itself (the clock fires), announcing the high-priority image again', async () => {
    const { host, ignores, clock, events } = await setup();
    await ignores.add([{ ...base, target: { kind: 'vulnerability', id: 'GHSA-1', package: null }, image: null, reason: 'accepted', expiresAt: '2026-06-03' }]);
    expect(host.image(IMAGE)!.scan.risks.vulnerabilities.critical).toBe(0);
    expect(ignores.list()[0]!.expired).toBe(false);
    clock.advance(DAY);
    expect(host.image(IMAGE)!.scan.risks.vulnerabilities.critical).toBe(0);
    clock.advance(DAY);
    await new Promise((r) => setTimeout(r, 50)); // the sweep loads reports from disk
    for (const id of [IMAGE, OTHER_IMAGE]) expect(host.image(id)!.scan).toMatchObject({ securityStatus: 'at_risk', highPriority: true, risks: { vulnerabilities: { critical: 1 } } });
    expect(events.filter((e) => e.type === 'risk.high_priority').map((e) => (e as { imageId: string }).imageId).sort()).toEqual([IMAGE, OTHER_IMAGE].sort());
    expect(ignores.list({ expired: true })).toHaveLength(1);
    expect(ignores.list({ expired: false })).toHaveLength(0);
  });

  it('applies at start the expiries that passed while the helper was down', async () => {
    const first = await setup();
    await first.ignores.add([{ ...base, target: { kind: 'vulnerability', id: 'GHSA-1', package: null }, image: IMAGE, reason: 'accepted', expiresAt: '2026-06-02' }]);
    first.ignores.stop();
    expect(first.host.image(IMAGE)!.scan.securityStatus).toBe('at_risk'); // the secret still counts
    expect(first.host.image(IMAGE)!.scan.risks.vulnerabilities.critical).toBe(0);
    const later = new ManualClock(new Date('2026-06-10T00:00:00Z'));
    const restarted = new IgnoreService({ state: first.host, reports: await ReportStore.open(dirs[0]!), clock: later, runningContainers: () => 0, changed: () => {}, emit: () => {} });
    await restarted.start();
    expect(first.host.image(IMAGE)!.scan.risks.vulnerabilities.critical).toBe(1);
    expect(later.pending).toBe(0);
  });

  it('keeps one decision per finding and image: the newer replaces the older', async () => {
    const { ignores } = await setup();
    const target = { kind: 'secret' as const, ruleId: 'private-key', path: '/root/.ssh/id_rsa' };
    await ignores.add([{ ...base, target, image: null, reason: 'accepted' }]);
    await ignores.add([{ ...base, target, image: null, reason: 'false_positive', note: 'test key' }]);
    expect(ignores.list().map((r) => [r.reason, r.note])).toEqual([['false_positive', 'test key']]);
  });
});
