import { z } from 'zod';
import { Severity } from '../images.ts';
import { LayerRef } from './packages.ts';

/**
 * Where a finding's severity came from: the advisory's own CVSS vector or rating (`advisory`),
 * the distro's urgency or priority for it (`distro`), the highest NVD CVSS among its CVE
 * aliases (`nvd`), or nothing rated it (`none`: the severity is `unknown`).
 */
export const severitySources = ['advisory', 'distro', 'nvd', 'none'] as const;
export const SeveritySource = z.enum(severitySources);
export type SeveritySource = z.infer<typeof SeveritySource>;

/** In CISA's Known Exploited Vulnerabilities catalog (through the finding's CVE or an alias's CVE). */
export const KnownExploited = z.object({
  cve: z.string(),
  /** The day CISA added it to the catalog (YYYY-MM-DD). */
  dateAdded: z.string(),
  /** CISA's remediation due date for US federal agencies (YYYY-MM-DD), when given. */
  dueDate: z.string().nullable(),
  /** CISA knows it to be used in ransomware campaigns. */
  ransomware: z.boolean(),
  name: z.string().nullable(),
});
export type KnownExploited = z.infer<typeof KnownExploited>;

/** FIRST's EPSS: probability of exploitation activity in the next 30 days, and its percentile. */
export const EpssScore = z.object({
  cve: z.string(),
  score: z.number().min(0).max(1),
  percentile: z.number().min(0).max(1),
  /** The day the scores were computed (YYYY-MM-DD), when the file says. */
  date: z.string().nullable(),
});
export type EpssScore = z.infer<typeof EpssScore>;

/**
 * One known vulnerability of one installed package. Advisories that are aliases of each
 * other (CVE, GHSA, GO-, PYSEC-, DSA-, ALPINE-CVE-…) are one finding: `id` is the primary
 * (a database's own advisory over a bare CVE), `aliases` every other ID.
 */
export const Vulnerability = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  summary: z.string(),
  details: z.string(),
  /**
   * From the advisory's CVSS base score or rating, else the distro's urgency, else the highest
   * NVD CVSS among its CVE aliases (`severitySource` says which); `unknown` when none rates it.
   */
  severity: Severity,
  /** Always set by the matcher; absent only in reports written before it existed. */
  severitySource: SeveritySource.optional(),
  /** Base score and the vector it came from (CVSS v4 preferred over v3.x over v2); null when none scores. */
  cvss: z.object({ score: z.number().nullable(), vector: z.string().nullable() }),
  /** The installed package as inventoried (distro packages are matched by their source package). */
  package: z.object({ ecosystem: z.string(), name: z.string(), version: z.string(), purl: z.string() }),
  /** Fixed versions above the installed one, lowest (the one to upgrade to) first. */
  fixedVersions: z.array(z.string()),
  fixStatus: z.enum(['fixed', 'no fix yet']),
  /** The package manager's upgrade command for the lowest fixed version, when there is one. */
  fixCommand: z.string().nullable(),
  references: z.array(z.string()),
  published: z.string().nullable(),
  modified: z.string().nullable(),
  /** The layer (and build step) that installed the package. */
  layer: LayerRef,
  /** Known exploited in the wild (CISA KEV), with the day it was added; null when not in the catalog. */
  knownExploited: KnownExploited.nullable().optional(),
  /** The highest EPSS score among its CVEs; null when none has one. */
  epss: EpssScore.nullable().optional(),
  /**
   * `fixable`, `suggested` when it contributes to the image's priority, `known-exploited` when
   * CISA lists it, `epss` when it has an EPSS score (the drawer writes them out with dates and scores).
   */
  tags: z.array(z.string()).default([]),
});
export type Vulnerability = z.infer<typeof Vulnerability>;

const ordinal = (n: number) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
};

/** The tag text the drawer and the CLI show: "Known exploited (since 2023-05-01)". */
export function knownExploitedLabel(k: Pick<KnownExploited, 'dateAdded'>): string {
  return `Known exploited (since ${k.dateAdded})`;
}

/** "EPSS 0.97 (99th percentile)": the score to two decimals, the percentile rounded down. */
export function epssLabel(e: Pick<EpssScore, 'score' | 'percentile'>): string {
  return `EPSS ${e.score.toFixed(2)} (${ordinal(Math.floor(e.percentile * 100))} percentile)`;
}
