/**
 * Errors the API answers with. Every non-2xx body is `{ error: { code, message, field? } }`
 * (shared/src/errors.ts); anything unexpected becomes a plain 500 and is logged, never sent.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError, ErrorCode } from '@shipshape/shared';

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Docker did not answer (socket missing, refused, timed out): the API says 503. */
export class DockerUnavailableError extends Error {
  constructor(message = 'Docker is not reachable') {
    super(message);
  }
}

export function errorBody(code: ErrorCode, message: string, field?: string): ApiError {
  return { error: field ? { code, message, field } : { code, message } };
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof HttpError) return c.json(errorBody(error.code, error.message, error.field), error.status);
  if (error instanceof DockerUnavailableError) return c.json(errorBody('docker_unavailable', error.message), 503);
  // Hono's own errors (e.g. bodyLimit, malformed JSON) carry a status.
  const status = (error as { status?: number }).status;
  if (status === 413) return c.json(errorBody('payload_too_large', 'request body too large'), 413);
  if (status && status >= 400 && status < 500) return c.json(errorBody('bad_request', 'malformed request'), 400);
  process.stderr.write(`shipshape: internal error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return c.json(errorBody('internal', 'internal error'), 500);
}
