/**
 * The scan engine's own keys in state.json (`scanEngine`): queue settings, list columns,
 * the scheduled scan and its runs, licensing and its log, the last data update, the detection settings.
 */
import { z } from 'zod';
import {
  DataUpdateResult,
  DataUpdateSettings,
  DetectionSettings,
  ImageColumn,
  LicenseEvent,
  LicenseSettings,
  ScanEngineSettings,
  ScheduledRun,
  ScheduledScanSettings,
  defaultImageColumns,
} from '@shipshape/shared';
import type { StateHost } from './state-host.ts';

const KEEP_RUNS = 50;
const KEEP_LICENSE_EVENTS = 1000;

export const ScanData = z.object({
  scanSettings: ScanEngineSettings.default({}),
  columns: z.array(ImageColumn).default(defaultImageColumns),
  schedule: ScheduledScanSettings.nullable().default(null),
  scheduleRuns: z.array(ScheduledRun).default([]),
  /** When the schedule was last saved: the first slot is counted from here (missed-run detection). */
  scheduleAnchor: z.string().nullable().default(null),
  /** Images a window-limited scheduled run has not reached yet; resumed in the next window. */
  scheduleBacklog: z.object({ runId: z.string(), images: z.array(z.string()) }).nullable().default(null),
  licenses: LicenseSettings.default({ poolSize: null, autoLicense: true }),
  licensed: z.array(z.string()).default([]),
  licenseEvents: z.array(LicenseEvent).default([]),
  dataUpdate: DataUpdateResult.nullable().default(null),
  /** GET/PUT /api/settings/data-update; null until saved (the command line's defaults apply). */
  dataUpdateSettings: DataUpdateSettings.nullable().default(null),
  /** The last feed update (automatic or not): when the next automatic refresh is due. */
  feedAttempt: z.object({ at: z.string(), ok: z.boolean() }).nullable().default(null),
  /** User secret rules, disabled rules, clamd (GET/PUT /api/settings/detection). */
  detection: DetectionSettings.default({}),
});
export type ScanData = z.infer<typeof ScanData>;

export class ScanDataStore {
  /** Parsed once: this class is the only writer of `scanEngine`, and it reads on every scan decision. */
  private cached: ScanData | null = null;

  constructor(private readonly host: StateHost) {}

  /** Current data (defaults filled in; a damaged section falls back to defaults). Read-only: change it through `update`. */
  get(): ScanData {
    if (this.cached) return this.cached;
    const raw = (this.host.state as { scanEngine?: unknown }).scanEngine;
    const parsed = ScanData.safeParse(raw ?? {});
    this.cached = parsed.success ? parsed.data : ScanData.parse({});
    return this.cached;
  }

  update(mutate: (data: ScanData) => void): ScanData {
    const data = structuredClone(this.get());
    mutate(data);
    data.scheduleRuns = data.scheduleRuns.slice(-KEEP_RUNS);
    data.licenseEvents = data.licenseEvents.slice(-KEEP_LICENSE_EVENTS);
    this.host.update((state) => {
      state.scanEngine = data;
    });
    this.cached = data;
    return data;
  }
}
