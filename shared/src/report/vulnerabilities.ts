import { z } from 'zod';
import { Severity } from '../images.ts';
import { LayerRef } from './packages.ts';

export const Vulnerability = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  summary: z.string(),
  details: z.string(),
  severity: Severity,
  cvss: z.object({ score: z.number().nullable(), vector: z.string().nullable() }),
  package: z.object({ ecosystem: z.string(), name: z.string(), version: z.string(), purl: z.string() }),
  fixedVersions: z.array(z.string()),
  fixStatus: z.enum(['fixed', 'no fix yet']),
  fixCommand: z.string().nullable(),
  references: z.array(z.string()),
  published: z.string().nullable(),
  modified: z.string().nullable(),
  layer: LayerRef,
  /** `fixable`, and `suggested` when it contributes to the image's priority. */
  tags: z.array(z.string()).default([]),
});
export type Vulnerability = z.infer<typeof Vulnerability>;
