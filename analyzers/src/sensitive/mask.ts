/**
 * What a finding shows of a secret: a few leading characters (enough to recognise the key
 * type or to find it in a file), then `***`. The whole secret is never stored or logged.
 */
export function maskSecret(secret: string): string {
  const visible = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}***`;
}
