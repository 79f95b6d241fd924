import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { riskDelta, type HostRiskSnapshot, type ImageRiskPoint } from '@shipshape/shared';
import { KEEP_POINTS_PER_IMAGE, RiskHistory, localDay } from './risk-history.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function dir() {
  const d = await mkdtemp(join(tmpdir(), 'risk-history-'));
  dirs.push(d);
  return d;
}

const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, malware: 0, sensitive: 0, knownExploited: 0 };
const point = (n: number): ImageRiskPoint => ({ ...counts, critical: n, at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), kind: 'scan', priorityScore: 10 * n, highPriority: n > 0 });
const snapshot = (at: Date, over: Partial<HostRiskSnapshot> = {}): HostRiskSnapshot => ({ ...counts, at: at.toISOString(), images: 3, imagesAtRisk: 1, highPriority: 0, ...over });

describe('RiskHistory', () => {
  it('keeps the last 100 points of an image, oldest first, and survives a restart', async () => {
    const d = await dir();
    const history = await RiskHistory.open(d);
    for (let n = 0; n < KEEP_POINTS_PER_IMAGE + 5; n++) history.recordImage('sha256:a', point(n));
    history.recordImage('sha256:b', point(1));
    await history.flush();
    const again = await RiskHistory.open(d);
    const a = again.image('sha256:a');
    expect(a).toHaveLength(KEEP_POINTS_PER_IMAGE);
    expect(a[0]!.critical).toBe(5);
    expect(again.latestPoint('sha256:a')!.critical).toBe(KEEP_POINTS_PER_IMAGE + 4);
    expect(again.image('sha256:b')).toEqual([point(1)]);
    expect(again.image('sha256:never')).toEqual([]);
  });

  it('keeps one row per local day (the last snapshot of that day) and answers the last N days', async () => {
    const history = await RiskHistory.open(await dir());
    const now = new Date(2026, 11, 5, 15, 0);
    const daysAgo = (n: number, hour = 10) => new Date(2026, 11, 5 - n, hour, 0);
    history.recordHost(snapshot(daysAgo(40), { critical: 9 }));
    history.recordHost(snapshot(daysAgo(2), { critical: 1 }));
    history.recordHost(snapshot(daysAgo(0, 9), { critical: 4, imagesAtRisk: 2 }));
    history.recordHost(snapshot(daysAgo(0, 14), { critical: 7, sensitive: 1 }));
    const host = history.host(30, now);
    expect(host.days.map((d) => [d.day, d.critical])).toEqual([
      [localDay(daysAgo(2)), 1],
      [localDay(now), 7],
    ]);
    expect(riskDelta(host.previous!, host.latest!)).toEqual({ critical: 3, sensitive: 1, imagesAtRisk: -1 });
    expect(history.host(60, now).days).toHaveLength(3);
  });

  it('moves an unreadable file aside and starts again, saying so', async () => {
    const d = await dir();
    await writeFile(join(d, 'risk-history.json'), '{"version":1,"images":{"x":[{"at":1}]}}');
    const lines: string[] = [];
    const history = await RiskHistory.open(d, (l) => lines.push(l));
    expect(history.image('x')).toEqual([]);
    expect(lines[0]).toMatch(/could not be read; moved aside/);
    expect((await readdir(d)).some((f) => f.startsWith('risk-history.json.corrupt-'))).toBe(true);
  });
});
