import { describe, expect, it } from 'vitest';
import type { ReportIndexEntry, ScanReport } from '@shipshape/shared';
import { zeroRisks } from '../../state/schema.ts';
import { rematchAll, type RematchContext, type RematchOutcome, type RematchTarget } from './rematch-one.ts';
import { INVENTORY_LAYER, inventoryReport } from '../../testing/inventory-report.ts';

const finding = { id: 'T-1', aliases: [], summary: '', details: '', severity: 'high' as const, severitySource: 'advisory' as const, cvss: { score: null, vector: null }, package: { ecosystem: 'npm', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' }, fixedVersions: ['4.17.21'], fixStatus: 'fixed' as const, fixCommand: null, references: [], published: null, modified: null, layer: INVENTORY_LAYER, tags: [], knownExploited: null, epss: null };
const target = (i: number, notChecked: ReportIndexEntry['notChecked'] = []): RematchTarget => ({
  imageId: `sha256:${i}`,
  entry: { id: `r${i}`, imageId: `sha256:${i}`, taskId: 't', scannedAt: '2026-12-01T00:00:00.000Z', categories: ['vulnerabilities'], risks: zeroRisks(), securityStatus: 'safe', notChecked, priorityScore: 0, highPriority: false, packages: 1, rematchedAt: null },
  repoDigests: [],
  runningContainers: 0,
});

/** Images 0–3: 0 gains a finding, 1 is as before, 2's report file is gone, 3 loses its missing-data gap. */
function context(events: string[], failWrite?: string): RematchContext {
  return {
    load: async (id) => (id === 'r2' ? null : inventoryReport(id)),
    match: (r) => ({ ...r, vulnerabilities: r.image.id === 'r0' ? [finding] : [] }),
    save: async (r, id) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (id === failWrite) throw new Error(`disk full writing ${id}`);
      events.push(`written ${id} (${r.vulnerabilities?.length} finding)`);
    },
    ignores: [],
    now: new Date('2026-12-05T00:00:00.000Z'),
  };
}

describe('rematchAll', () => {
  it('tells each outcome in order, a changed image only once its report file is written', async () => {
    const events: string[] = [];
    const outcomes: RematchOutcome[] = [];
    const targets = [target(0), target(1), target(2), target(3, [{ category: 'vulnerabilities', reason: 'no vulnerability data: run a data update' }])];
    await rematchAll(targets, context(events), (o) => {
      outcomes.push(o);
      events.push(`told ${o.kind} ${o.imageId}`);
    });
    expect(outcomes.map((o) => o.kind)).toEqual(['changed', 'unchanged', 'skipped', 'changed']);
    expect(events).toEqual(['written r0 (1 finding)', 'told changed sha256:0', 'told unchanged sha256:1', 'told skipped sha256:2', 'written r3 (0 finding)', 'told changed sha256:3']);
    const first = outcomes[0]!;
    expect(first.kind === 'changed' && first.verdict).toMatchObject({ securityStatus: 'at_risk', risks: { vulnerabilities: { high: 1 } }, notChecked: [] });
  });

  it('ends with a failed write, after the writes begun have ended, telling nothing past it', async () => {
    const events: string[] = [];
    await expect(rematchAll([target(0), target(1), target(3, [{ category: 'vulnerabilities', reason: 'no vulnerability data: run a data update' }])], context(events, 'r0'), (o) => events.push(`told ${o.kind} ${o.imageId}`))).rejects.toThrow('disk full writing r0');
    expect(events).toEqual([]);
  });

  it('stops between images when asked, the write begun ending first', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const stopping = { ...context(events), match: (r: ScanReport) => (controller.abort(new Error('data update stopped')), { ...r, vulnerabilities: [finding] }) };
    const run = rematchAll([target(0), target(1)], stopping, (o) => events.push(`told ${o.kind} ${o.imageId}`), controller.signal);
    await expect(run).rejects.toThrow('data update stopped');
    expect(events).toEqual(['written r0 (1 finding)', 'told changed sha256:0']);
  });
});
