import { ApiError } from '@shipshape/shared';

/**
 * Why a call to the helper failed, in the terms the UI needs to tell the user what to do next
 * (see PAIRING.md, "What the extension shows").
 */
export type FailureKind =
  | 'helper_down' // nothing answers at the helper URL
  | 'docker_down' // the helper answers, Docker does not
  | 'unauthorized' // no token or a token the helper no longer knows
  | 'forbidden' // the helper refuses this extension (pairing rejected or another origin)
  | 'bad_request'
  | 'not_found'
  | 'server';

export class ApiFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const kindByStatus: Record<number, FailureKind> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 503: 'docker_down' };

/** Turns a non-2xx answer into an ApiFailure, keeping the helper's own message when it sent one. */
export async function failureFromResponse(response: Response): Promise<ApiFailure> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = ApiError.safeParse(body);
  const message = parsed.success ? parsed.data.error.message : `The helper answered ${response.status} ${response.statusText}`.trim();
  const field = parsed.success ? (parsed.data.error.field ?? null) : null;
  const kind = parsed.success && parsed.data.error.code === 'docker_unavailable' ? 'docker_down' : (kindByStatus[response.status] ?? 'server');
  return new ApiFailure(kind, message, response.status, field);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
