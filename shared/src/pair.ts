import { z } from 'zod';

/**
 * Pairing the browser extension with the helper (flow: extension/PAIRING.md).
 * The extension asks for a short code, a person approves it on the helper's machine,
 * and the extension collects the token once by polling; the token never travels in a URL.
 */

/** Unambiguous alphabet: no 0/O, 1/I/L. */
export const PAIR_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIR_CODE_LENGTH = 6;
export const PAIR_REQUEST_TTL_MS = 5 * 60_000;

/** `K7M4QX`, `k7m-4qx`, `K7M 4QX` all name the same code. */
export function normalizePairCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export const PairCode = z
  .string()
  .max(16)
  .transform(normalizePairCode)
  .pipe(z.string().regex(new RegExp(`^[${PAIR_CODE_ALPHABET}]{${PAIR_CODE_LENGTH}}$`), 'must be the 6-character pairing code'));

export const PairRequestBody = z.object({ client: z.string().max(128).default('Shipshape extension') }).strict();
export type PairRequestBody = z.infer<typeof PairRequestBody>;

export const PairRequestAnswer = z.object({
  requestId: z.string(),
  code: z.string(),
  expiresAt: z.string(),
});
export type PairRequestAnswer = z.infer<typeof PairRequestAnswer>;

export const PairStatusBody = z.object({ requestId: z.string().regex(/^[0-9a-f]{16,64}$/, 'must be a pairing request ID') }).strict();
export type PairStatusBody = z.infer<typeof PairStatusBody>;

export const PairStatusAnswer = z.discriminatedUnion('state', [
  z.object({ state: z.literal('pending') }),
  z.object({ state: z.literal('approved'), token: z.string() }),
  z.object({ state: z.literal('rejected') }),
  z.object({ state: z.literal('expired') }),
]);
export type PairStatusAnswer = z.infer<typeof PairStatusAnswer>;

export const PairApproveBody = z.object({ code: PairCode, reject: z.boolean().default(false) }).strict();
export type PairApproveBody = z.infer<typeof PairApproveBody>;

export const PairApproveAnswer = z.object({ origin: z.string(), state: z.enum(['approved', 'rejected']) });
export type PairApproveAnswer = z.infer<typeof PairApproveAnswer>;
