import { z } from 'zod';
import { EngineKind } from './engines.ts';
import { ContainerCounts } from './images.ts';

/** A Docker engine as the image list sees it: an associated server. `id` and `name` are the engine's name. */
export const Server = z.object({
  id: z.string(),
  name: z.string(),
  /** The engine host's own name (Docker's `info.Name`), once it answered. */
  hostname: z.string().nullable(),
  endpoint: z.string(),
  kind: EngineKind,
  /** The Docker context it came from, if any (the "project" a user groups hosts by). */
  context: z.string().nullable(),
  ipAddresses: z.array(z.string()),
  dockerVersion: z.string().nullable(),
  os: z.string().nullable(),
  online: z.boolean(),
  /** Why it is offline, or null. */
  message: z.string().nullable(),
  imageCount: z.number().int(),
  containerCount: z.number().int(),
});
export type Server = z.infer<typeof Server>;

/** GET /api/servers and GET /api/images/:id/servers: by status, and `q` in name, endpoint, IP, Docker version, OS or context. */
export const ServerListQuery = z
  .object({
    status: z.enum(['online', 'offline']).optional(),
    q: z.string().max(256).optional(),
  })
  .strict();
export type ServerListQuery = z.infer<typeof ServerListQuery>;

/** NVD CVSS per CVE, CISA's known-exploited catalog and FIRST's EPSS scores: how much of each, how recent. */
export const CveDataStatus = z.object({
  nvd: z.object({ cves: z.number().int(), updatedAt: z.string().nullable() }),
  kev: z.object({ entries: z.number().int(), catalogVersion: z.string().nullable(), updatedAt: z.string().nullable() }),
  epss: z.object({ scores: z.number().int(), scoreDate: z.string().nullable(), updatedAt: z.string().nullable() }),
});
export type CveDataStatus = z.infer<typeof CveDataStatus>;

/** The vulnerability data the helper matches against, as health reports it (no secrets, no paths). */
export const VulnerabilityDataStatus = z.object({
  /** False when there is no database: vulnerability verdicts cannot be given. */
  present: z.boolean(),
  records: z.number().int(),
  /** When the data last changed (newest source), ISO time; null when absent. */
  updatedAt: z.string().nullable(),
  sources: z.array(z.object({ name: z.string(), records: z.number().int(), updatedAt: z.string() })),
  /** True when the data is older than STALE_DATA_DAYS (the user is warned; a refresh is due). */
  stale: z.boolean().default(false),
  /** The automatic refresh setting in effect (`off` on air-gapped machines). */
  autoUpdate: z.enum(['off', 'daily', 'weekly']).default('daily'),
  /** True while a data update runs (the first one after a fresh start included). */
  updating: z.boolean().default(false),
  /** The per-CVE data beside the advisories: NVD severities, CISA KEV, FIRST EPSS (zero when not imported). */
  cveData: CveDataStatus.optional(),
});
export type VulnerabilityDataStatus = z.infer<typeof VulnerabilityDataStatus>;

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  /** `reachable`: at least one engine answers; `version`: the default engine's (else the first online one's). */
  docker: z.object({ reachable: z.boolean(), version: z.string().nullable() }),
  engines: z.object({ total: z.number().int(), online: z.number().int() }).optional(),
  vulnerabilityData: VulnerabilityDataStatus,
});
export type Health = z.infer<typeof Health>;

/** Image and risk totals over a set of images. */
export const DashboardTotals = z.object({
  totalImages: z.number().int(),
  imagesAtRisk: z.number().int(),
  /** Images with no finding whose latest scan could not check every category asked for. */
  imagesIncomplete: z.number().int(),
  highPriorityImages: z.number().int(),
  vulnerabilities: z.object({
    critical: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
    unknown: z.number().int(),
    total: z.number().int(),
  }),
  viruses: z.number().int(),
  trojans: z.number().int(),
  sensitive: z.number().int(),
  lastScanTime: z.string().nullable(),
});

export type DashboardTotals = z.infer<typeof DashboardTotals>;

/** The same totals over the images one engine holds (an image on two engines counts on both). */
export const ServerTotals = DashboardTotals.extend({ server: z.string(), online: z.boolean(), containers: z.number().int() });
export type ServerTotals = z.infer<typeof ServerTotals>;

/** GET /api/dashboard: totals across every engine (each image ID once), and per engine in `servers`. */
export const Dashboard = DashboardTotals.extend({ servers: z.array(ServerTotals).default([]) });
export type Dashboard = z.infer<typeof Dashboard>;

/** GET /api/servers. */
export const ServerList = z.object({ items: z.array(Server) });
export type ServerList = z.infer<typeof ServerList>;

/** GET /api/images/:id/servers: each engine holding the image, with the image's tags and containers there. */
export const ImageServer = Server.extend({
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  containers: ContainerCounts,
});
export type ImageServer = z.infer<typeof ImageServer>;
export const ImageServerList = z.object({ items: z.array(ImageServer) });
export type ImageServerList = z.infer<typeof ImageServerList>;
