/**
 * Readable reasons for a Docker call that failed during a scan. A daemon that went away
 * (socket closed, refused, reset) is said as "Docker unavailable: <detail>", so the user
 * knows to look at Docker rather than at the image; an API answer keeps the daemon's words.
 */
import { isUnreachable } from '../docker/engine.ts';

/** dockerode's messages start with `(HTTP code 500) server error - `: keep what the daemon said. */
export function dockerMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
}

/** The error to throw when `step` (e.g. "docker save") failed with `error`. */
export function dockerFailure(step: string, error: unknown): Error {
  if (isUnreachable(error)) return dockerLost(step, error);
  return new Error(`${step} failed: ${dockerMessage(error)}`);
}

/** True when an export stream broke because the connection to the daemon was lost mid-way. */
export function isLostConnection(error: unknown): boolean {
  return isUnreachable(error) || /aborted|premature close/i.test(error instanceof Error ? error.message : String(error));
}

export function dockerLost(step: string, error: unknown): Error {
  return new Error(`Docker unavailable: ${step}: ${lostDetail(dockerMessage(error))}`);
}

/** Socket errors say what broke, not what to do: add that, keeping the original words. */
function lostDetail(message: string): string {
  if (/ECONNREFUSED|ENOENT/.test(message)) return `${message} (is dockerd running? the scan can be retried once it is)`;
  if (/aborted|premature close|socket hang up|ECONNRESET|EPIPE/i.test(message)) return `the daemon closed the connection mid-stream (${message}); retry the scan once Docker is back`;
  return message;
}
