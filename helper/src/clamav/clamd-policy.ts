/**
 * Where the API may point the helper's clamd: a unix socket or a loopback address. The helper
 * streams image files to clamd, so an address set through the API (a stolen token, a page
 * that tricked the extension) must not be a way to ship image contents to another machine.
 * A clamd elsewhere is set on the command line (`serve --clamd`, SHIPSHAPE_CLAMD).
 */
import { isIP } from 'node:net';
import { parseClamdAddress } from './clamd-client.ts';

function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const kind = isIP(host);
  if (kind === 4) return host.split('.')[0] === '127';
  if (kind === 6) {
    const h = host.toLowerCase();
    return h === '::1' || /^(?:0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
  }
  return false;
}

/** Null when the API may set this clamd address; otherwise what is wrong, for a 400. */
export function apiClamdProblem(address: string): string | null {
  let parsed;
  try {
    parsed = parseClamdAddress(address);
  } catch (error) {
    return (error as Error).message;
  }
  if ('socketPath' in parsed) return null;
  if (isLoopbackHost(parsed.host)) return null;
  return `'${address}' is not a unix socket or a loopback address (127.0.0.1, ::1, localhost): through the API clamd may only be on this machine; a clamd elsewhere is set with 'shipshape serve --clamd ADDRESS' or SHIPSHAPE_CLAMD`;
}
