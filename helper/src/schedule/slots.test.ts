import { describe, expect, it } from 'vitest';
import type { ScheduledScanSettings } from '@shipshape/shared';
import { nextSlot, windowEnd } from './slots.ts';

const settings = (over: Partial<ScheduledScanSettings> = {}): ScheduledScanSettings => ({
  enabled: true,
  frequency: 'daily',
  startTime: '02:30',
  endTime: null,
  categories: ['vulnerabilities'],
  images: 'all',
  ...over,
});
const tz = 'UTC';

describe('schedule slots', () => {
  it('runs daily at the start time', () => {
    expect(nextSlot(settings(), new Date('2026-03-01T10:00:00Z'), null, tz)?.toISOString()).toBe('2026-03-02T02:30:00.000Z');
    expect(nextSlot(settings(), new Date('2026-03-01T01:00:00Z'), null, tz)?.toISOString()).toBe('2026-03-01T02:30:00.000Z');
  });
  it('spaces 7d runs a week after the last slot', () => {
    const last = new Date('2026-03-01T02:30:00Z');
    expect(nextSlot(settings({ frequency: '7d' }), new Date('2026-03-01T03:00:00Z'), last, tz)?.toISOString()).toBe('2026-03-08T02:30:00.000Z');
  });
  it('ends a window at the next end time, across midnight too', () => {
    expect(windowEnd(settings({ endTime: '05:00' }), new Date('2026-03-01T02:30:00Z'), tz)?.toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(windowEnd(settings({ startTime: '23:00', endTime: '01:00' }), new Date('2026-03-01T23:00:00Z'), tz)?.toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(windowEnd(settings(), new Date('2026-03-01T02:30:00Z'), tz)).toBeNull();
  });
});
