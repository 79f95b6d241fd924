import { z } from 'zod';
import { Severity } from '../images.ts';
import { LayerRef } from './packages.ts';

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
  /** From the CVSS base score when a vector scores, else GHSA's rating, else the distro urgency. */
  severity: Severity,
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
  /** `fixable`, and `suggested` when it contributes to the image's priority. */
  tags: z.array(z.string()).default([]),
});
export type Vulnerability = z.infer<typeof Vulnerability>;
