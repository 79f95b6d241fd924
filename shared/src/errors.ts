import { z } from 'zod';

export const errorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'docker_unavailable',
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every non-2xx answer of the helper has this body. Never a stack trace. */
export const ApiError = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), field: z.string().optional() }),
});
export type ApiError = z.infer<typeof ApiError>;
