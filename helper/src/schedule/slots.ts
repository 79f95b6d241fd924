/**
 * When a scheduled scan is due: croner gives the next start time of day (local time, DST
 * handled); the frequency spaces runs N days apart from the last slot.
 */
import { Cron } from 'croner';
import type { ScheduledScanSettings } from '@shipshape/shared';

const DAY = 24 * 60 * 60 * 1000;
const FREQUENCY_DAYS: Record<ScheduledScanSettings['frequency'], number> = { daily: 1, '7d': 7, '15d': 15, '30d': 30 };

function dailyAt(time: string, timezone?: string): Cron {
  const [h, m] = time.split(':').map(Number);
  return new Cron(`${m} ${h} * * *`, { paused: true, ...(timezone ? { timezone } : {}) });
}

/**
 * The first slot strictly after `after`, at least the frequency's days after `lastSlot` (half a
 * day's slack absorbs DST shifts).
 */
export function nextSlot(settings: ScheduledScanSettings, after: Date, lastSlot: Date | null, timezone?: string): Date | null {
  const days = FREQUENCY_DAYS[settings.frequency];
  const earliest = lastSlot ? Math.max(after.getTime(), lastSlot.getTime() + days * DAY - DAY / 2) : after.getTime();
  return dailyAt(settings.startTime, timezone).nextRun(new Date(earliest));
}

/** The end of the window that starts at `start`: the next `endTime` after it; null without an end time. */
export function windowEnd(settings: ScheduledScanSettings, start: Date, timezone?: string): Date | null {
  if (!settings.endTime) return null;
  return dailyAt(settings.endTime, timezone).nextRun(start);
}
