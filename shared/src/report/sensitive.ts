import { z } from 'zod';
import { Severity } from '../images.ts';
import { LayerRef } from './packages.ts';

export const SensitiveType = z.enum(['credential', 'private_key', 'token', 'password', 'config']);

export const SensitiveFinding = z.object({
  ruleId: z.string(),
  name: z.string(),
  type: SensitiveType,
  severity: Severity,
  /** File path, or `config:Env`, `config:Labels`, `history:<n>` for findings outside the filesystem. */
  path: z.string(),
  line: z.number().int().nullable(),
  layer: LayerRef.nullable(),
  /** A few leading characters, then `***`. The whole secret is never stored. */
  match: z.string(),
  recommendation: z.string(),
  inFinalFilesystem: z.boolean().default(true),
});
export type SensitiveFinding = z.infer<typeof SensitiveFinding>;
