import { z } from 'zod';

export const Server = z.object({
  id: z.string(),
  name: z.string(),
  ipAddresses: z.array(z.string()),
  dockerVersion: z.string().nullable(),
  os: z.string().nullable(),
  online: z.boolean(),
  imageCount: z.number().int(),
  containerCount: z.number().int(),
});
export type Server = z.infer<typeof Server>;

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
  /** The per-CVE data beside the advisories: NVD severities, CISA KEV, FIRST EPSS (zero when not imported). */
  cveData: CveDataStatus.optional(),
});
export type VulnerabilityDataStatus = z.infer<typeof VulnerabilityDataStatus>;

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  docker: z.object({ reachable: z.boolean(), version: z.string().nullable() }),
  vulnerabilityData: VulnerabilityDataStatus,
});
export type Health = z.infer<typeof Health>;

export const Dashboard = z.object({
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
export type Dashboard = z.infer<typeof Dashboard>;

/** GET /api/servers and GET /api/images/:id/servers. */
export const ServerList = z.object({ items: z.array(Server) });
export type ServerList = z.infer<typeof ServerList>;
