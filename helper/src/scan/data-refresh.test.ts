import { describe, expect, it } from 'vitest';
import type { DataUpdateResult, DataUpdateSettings } from '@shipshape/shared';
import { DataRefresher, nextRefresh, type FeedAttempt } from './data-refresh.ts';

const HOUR = 3600_000;
const now = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const daily: DataUpdateSettings = { autoUpdate: 'daily', mirror: null };
const weekly: DataUpdateSettings = { autoUpdate: 'weekly', mirror: null };

describe('nextRefresh', () => {
  it('off: never by itself', () => {
    expect(nextRefresh({ autoUpdate: 'off', mirror: null }, false, null, now)).toBeNull();
  });
  it('no attempt yet, or no data after a good attempt: now', () => {
    expect(nextRefresh(daily, false, null, now)).toBe(now.toISOString());
    expect(nextRefresh(daily, true, null, now)).toBe(now.toISOString());
    expect(nextRefresh(daily, false, { at: ago(HOUR / 2), ok: true }, now)).toBe(now.toISOString());
  });
  it('no data and the last attempt failed (offline): an hour after it', () => {
    expect(nextRefresh(daily, false, { at: ago(HOUR / 4), ok: false }, now)).toBe(ago(-HOUR * 0.75));
  });
  it('with data: a day or a week after the last attempt, now when overdue', () => {
    expect(nextRefresh(daily, true, { at: ago(2 * HOUR), ok: true }, now)).toBe(ago(-22 * HOUR));
    expect(nextRefresh(weekly, true, { at: ago(2 * 24 * HOUR), ok: true }, now)).toBe(ago(-5 * 24 * HOUR));
    expect(nextRefresh(daily, true, { at: ago(30 * HOUR), ok: false }, now)).toBe(now.toISOString());
  });
});

describe('DataRefresher', () => {
  function refresher(settings: DataUpdateSettings, present: boolean, last: FeedAttempt | null) {
    const started: number[] = [];
    const lines: string[] = [];
    const result = { outcome: 'success', reason: null, vulnDb: { advisories: 3, source: 'osv.dev' } } as unknown as DataUpdateResult;
    const r = new DataRefresher({
      settings: () => settings,
      present: () => present,
      lastAttempt: () => last,
      startUpdate: () => (started.push(1), Promise.resolve(result)),
      log: (line) => lines.push(line),
      now: () => now,
    });
    return { r, started, lines };
  }
  it('starts the first fetch by itself and says so; nothing when not due or off', async () => {
    const first = refresher(daily, false, null);
    await first.r.check();
    expect(first.started).toHaveLength(1);
    expect(first.lines[0]).toMatch(/^no vulnerability data yet: fetching it now/);
    const fresh = refresher(daily, true, { at: ago(HOUR), ok: true });
    expect(fresh.r.check()).toBeNull();
    const off = refresher({ autoUpdate: 'off', mirror: null }, false, null);
    expect(off.r.check()).toBeNull();
    expect(fresh.started.length + off.started.length).toBe(0);
  });
  it('refreshes stale data when due', async () => {
    const due = refresher(daily, true, { at: ago(25 * HOUR), ok: true });
    await due.r.check();
    expect(due.started).toHaveLength(1);
    expect(due.lines[0]).toBe('vulnerability data refresh is due: updating');
  });
});
