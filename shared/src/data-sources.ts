import { z } from 'zod';
import { autoUpdateFrequencies } from './defaults.ts';

/** Who started a data update: a person (API) or the helper itself (first start, refresh timer). */
export const DataUpdateTrigger = z.enum(['manual', 'auto']);
export type DataUpdateTrigger = z.infer<typeof DataUpdateTrigger>;

/** An http(s) base URL serving OSV's layout, `<base>/<Ecosystem>/all.zip`. */
export const MirrorUrl = z
  .string()
  .max(2048)
  .url()
  .regex(/^https?:\/\//i, 'must be an http:// or https:// URL');

/**
 * GET/PUT /api/settings/data-update: how the helper keeps its vulnerability data fresh.
 * `autoUpdate` `off` is for air-gapped machines (nothing is fetched unless asked); `daily` and
 * `weekly` refresh at start when due and on a timer, with conditional downloads. `mirror`
 * replaces the public OSV bucket for automatic and default updates.
 */
export { autoUpdateFrequencies };
export const DataUpdateSettings = z
  .object({
    autoUpdate: z.enum(autoUpdateFrequencies).default('daily'),
    mirror: MirrorUrl.nullable().default(null),
  })
  .strict();
export type DataUpdateSettings = z.infer<typeof DataUpdateSettings>;

/** GET /api/settings/data-update: the settings, and when the helper will next refresh by itself. */
export const DataUpdateSettingsView = z.object({
  settings: DataUpdateSettings,
  /** ISO time of the next automatic refresh; null when `off`. */
  nextUpdate: z.string().nullable(),
});
export type DataUpdateSettingsView = z.infer<typeof DataUpdateSettingsView>;

/** Vulnerability data older than this many days is stale: the user is warned. */
export const STALE_DATA_DAYS = 7;

/** "just now", "5 hours ago", "3 days ago": how old the data is, the same words in the CLI and the extension. */
export function ageInWords(iso: string, now: Date = new Date()): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** True when data fetched at `iso` is older than STALE_DATA_DAYS. */
export function isStale(iso: string, now: Date = new Date()): boolean {
  return now.getTime() - Date.parse(iso) > STALE_DATA_DAYS * 24 * 60 * 60 * 1000;
}
