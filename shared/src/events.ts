import { z } from 'zod';
import { ImageSummary, RiskCounts } from './images.ts';
import { Server } from './server.ts';
import { ScanTask, TaskImage, DataUpdateStatus } from './scans.ts';
import { ScheduledRun } from './settings.ts';
import { LicenseEvent } from './licenses.ts';

/**
 * GET /api/events (Server-Sent Events, `Authorization: Bearer` header, never a token in
 * the URL). Each message's SSE `event:` is the `type` below and its `data:` is the JSON.
 */
export const ServerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('image.added'), imageId: z.string(), image: ImageSummary.nullable() }),
  z.object({ type: z.literal('image.removed'), imageId: z.string() }),
  z.object({ type: z.literal('image.changed'), imageId: z.string(), image: ImageSummary.nullable() }),
  z.object({
    type: z.literal('scan.progress'),
    taskId: z.string(),
    percent: z.number(),
    image: TaskImage,
  }),
  z.object({ type: z.literal('scan.finished'), task: ScanTask.omit({ images: true }) }),
  z.object({
    type: z.literal('risk.high_priority'),
    imageId: z.string(),
    name: z.string(),
    priorityScore: z.number(),
    risks: RiskCounts,
    reasons: z.array(z.string()),
  }),
  /**
   * A data update made findings of an already scanned image known-exploited (CISA KEV added
   * their CVE): the image, and each such finding with the day CISA added it.
   */
  z.object({
    type: z.literal('risk.known_exploited'),
    imageId: z.string(),
    name: z.string(),
    findings: z.array(z.object({ id: z.string(), cve: z.string(), package: z.string(), dateAdded: z.string() })),
  }),
  z.object({ type: z.literal('data_update.progress'), status: DataUpdateStatus }),
  z.object({ type: z.literal('schedule.run'), run: ScheduledRun }),
  z.object({ type: z.literal('license.changed'), event: LicenseEvent }),
  /** An engine was added, went offline, came back or changed (version, counts). */
  z.object({ type: z.literal('server.changed'), server: Server }),
  z.object({ type: z.literal('server.removed'), serverId: z.string() }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
export type ServerEventType = ServerEvent['type'];
