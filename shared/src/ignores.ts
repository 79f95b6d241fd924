import { z } from 'zod';
import { ImageIdParam } from './images.ts';

/**
 * Ignores: a decision that a finding does not need action (why, until when, who said so).
 * An ignored finding leaves counts, security status, priority and notifications but stays
 * listed apart ("Ignored"); once `expiresAt` passes it counts again by itself.
 */
export const ignoreReasons = ['not_affected', 'accepted', 'false_positive'] as const;
export const IgnoreReason = z.enum(ignoreReasons);
export type IgnoreReason = z.infer<typeof IgnoreReason>;

/** The VEX status justifications (OpenVEX v0.2.0, from the CISA VEX status justification document). */
export const vexJustifications = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export const VexJustification = z.enum(vexJustifications);
export type VexJustification = z.infer<typeof VexJustification>;

/** Who set an ignore: the paired browser extension, or the CLI (any call without a browser Origin). */
export const IgnoreSetter = z.enum(['browser', 'cli']);
export type IgnoreSetter = z.infer<typeof IgnoreSetter>;

const findingId = z.string().trim().min(1).max(256);
const findingPath = z.string().min(1).max(4096);

/**
 * What is ignored. A vulnerability by ID (matches the finding's ID or any alias), optionally
 * only in one package (a purl; without a version it matches every version). A secret by rule
 * at a path, a virus or trojan by signature name at a path (a null path: any path).
 */
export const IgnoreTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vulnerability'), id: findingId, package: z.string().trim().min(5).max(2048).startsWith('pkg:').nullable().default(null) }).strict(),
  z.object({ kind: z.literal('secret'), ruleId: findingId, path: findingPath.nullable() }).strict(),
  z.object({ kind: z.literal('malware'), signature: findingId, path: findingPath.nullable() }).strict(),
]);
export type IgnoreTarget = z.infer<typeof IgnoreTarget>;

/** `YYYY-MM-DD`, a real calendar date. The ignore holds before 00:00 UTC of that day (as `.trivyignore`'s `exp:`). */
export const ExpiryDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

const ignoreFields = {
  target: IgnoreTarget,
  /** The image (its ID, `sha256:…`; a registry digest of it matches too), or null for every image. */
  image: z.string().regex(/^sha256:[0-9a-f]{64}$/).nullable(),
  reason: IgnoreReason,
  /** Required for `not_affected`: why the image is not affected, as VEX says it. */
  justification: VexJustification.nullable().default(null),
  /** Free text: the ticket, the argument, the person. */
  note: z.string().max(2000).default(''),
  /** Null: until removed. */
  expiresAt: ExpiryDate.nullable().default(null),
};

export const IgnoreRule = z.object({
  id: z.string().min(1).max(64),
  ...ignoreFields,
  /** The image's name when the ignore was set (for people and for the VEX product name). */
  imageName: z.string().max(512).nullable().default(null),
  setBy: IgnoreSetter,
  createdAt: z.string(),
});
export type IgnoreRule = z.infer<typeof IgnoreRule>;

const requireJustification = (rule: { reason: IgnoreReason; justification: VexJustification | null }, ctx: z.RefinementCtx) => {
  if (rule.reason === 'not_affected' && !rule.justification) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['justification'], message: "required when the reason is 'not_affected' (one of the VEX justifications)" });
  }
};

/** POST /api/ignores. `image`: a full ID or unique prefix of an image the helper knows, or null for all images. */
export const CreateIgnoreRequest = z
  .object({ ...ignoreFields, image: ImageIdParam.nullable() })
  .strict()
  .superRefine(requireJustification);
export type CreateIgnoreRequest = z.input<typeof CreateIgnoreRequest>;

/** An ignore as the API lists it: `expired` once its date has passed (it no longer applies). */
export const IgnoreItem = IgnoreRule.extend({ expired: z.boolean() });
export type IgnoreItem = z.infer<typeof IgnoreItem>;

export const IgnoreList = z.object({ items: z.array(IgnoreItem) });
export type IgnoreList = z.infer<typeof IgnoreList>;

/** GET /api/ignores: `image` narrows to the ignores that apply to one image (its own and all-image ones). */
export const IgnoreListQuery = z.object({ image: ImageIdParam.optional(), expired: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }).strict();
export type IgnoreListQuery = z.infer<typeof IgnoreListQuery>;

export const IgnoreIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an ignore ID');
