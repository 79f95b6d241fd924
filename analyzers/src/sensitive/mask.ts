/**
 * What a finding shows of a secret: a few leading characters (enough to recognise the key
 * type or to find it in a file), `***`, then a fingerprint in brackets: `ghp_***[3fa91c]`.
 * The fingerprint is a keyed hash (HMAC-SHA-256, 24 bits), so the same secret always gets the
 * same mask and two secrets can be told apart, yet a guess (a common password) cannot be
 * checked against it without the key. The whole secret is never stored or logged.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export type SecretMask = (secret: string) => string;

/** A mask with a fingerprint keyed by `key` (the helper keeps one per data dir, so masks stay stable). */
export function createSecretMask(key: Uint8Array): SecretMask {
  return (secret) => {
    const visible = Math.min(4, Math.floor(secret.length / 4));
    const print = createHmac('sha256', key).update(secret, 'utf8').digest('hex').slice(0, 6);
    return `${secret.slice(0, visible)}***[${print}]`;
  };
}

/** Without a key of the caller's: a key of this process (masks are stable within one run). */
export const maskSecret: SecretMask = createSecretMask(randomBytes(32));

/** A value that already is a mask (re-masking a masked text changes nothing). */
export const MASKED_VALUE = /^\S{0,4}\*\*\*\[[0-9a-f]{6}\]$/;

/** A short public name of a mask key (for cache keys): its hash, never the key. */
export function maskKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
