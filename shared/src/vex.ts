import { z } from 'zod';
import { VexJustification } from './ignores.ts';

/**
 * OpenVEX v0.2.0 documents (https://github.com/openvex/spec, `openvex_json_schema.json`):
 * what GET /api/vex answers and POST /api/vex, `shipshape vex import` and `scan --vex` read.
 * Fields the spec defines are typed; unknown ones are dropped on read.
 */
export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export const vexStatuses = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export const VexStatus = z.enum(vexStatuses);
export type VexStatus = z.infer<typeof VexStatus>;

const identifiers = z.object({ purl: z.string().optional(), cpe22: z.string().optional(), cpe23: z.string().optional() });
const hashes = z.record(z.string(), z.string());

export const VexSubcomponent = z.object({ '@id': z.string().optional(), identifiers: identifiers.optional(), hashes: hashes.optional() });
export type VexSubcomponent = z.infer<typeof VexSubcomponent>;

export const VexProduct = VexSubcomponent.extend({ subcomponents: z.array(VexSubcomponent).optional() });
export type VexProduct = z.infer<typeof VexProduct>;

export const VexStatement = z.object({
  '@id': z.string().optional(),
  version: z.number().int().min(1).optional(),
  vulnerability: z.object({ '@id': z.string().optional(), name: z.string().min(1), description: z.string().optional(), aliases: z.array(z.string()).optional() }),
  timestamp: z.string().optional(),
  last_updated: z.string().optional(),
  products: z.array(VexProduct).optional(),
  status: VexStatus,
  supplier: z.string().optional(),
  status_notes: z.string().optional(),
  justification: VexJustification.optional(),
  impact_statement: z.string().optional(),
  action_statement: z.string().optional(),
  action_statement_timestamp: z.string().optional(),
});
export type VexStatement = z.infer<typeof VexStatement>;

export const VexDocument = z.object({
  '@context': z.string().startsWith('https://openvex.dev/ns', 'must be an OpenVEX context (https://openvex.dev/ns/v…)'),
  '@id': z.string().min(1),
  author: z.string().min(1),
  role: z.string().optional(),
  timestamp: z.string(),
  last_updated: z.string().optional(),
  version: z.number().int().min(1),
  tooling: z.string().optional(),
  statements: z.array(VexStatement).min(1).max(100_000),
});
export type VexDocument = z.infer<typeof VexDocument>;

/** POST /api/vex answer: what the document became. */
export const VexImportResult = z.object({
  /** Ignores created or updated (same finding and image: the newer decision wins). */
  imported: z.number().int(),
  /** Statements that are not ignores (affected, under_investigation) or name an image this helper does not know, with why. */
  skipped: z.array(z.object({ statement: z.number().int(), vulnerability: z.string(), reason: z.string() })),
});
export type VexImportResult = z.infer<typeof VexImportResult>;
