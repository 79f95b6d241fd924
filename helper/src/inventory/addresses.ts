/** The IP addresses a server is known by: this machine's for a local socket, the host's otherwise. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { DockerTarget } from '../docker/target.ts';

export function localAddresses(): string[] {
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (!entry.internal) addresses.push(entry.address);
  }
  return addresses.length ? addresses : ['127.0.0.1'];
}

/** Resolves a host name (once per connection); an address that does not resolve is shown as given. */
export async function targetAddresses(target: DockerTarget): Promise<string[]> {
  if (target.kind === 'unix') return localAddresses();
  if (isIP(target.host)) return [target.host];
  try {
    const found = await lookup(target.host, { all: true });
    return [...new Set(found.map((a) => a.address))];
  } catch {
    return [target.host];
  }
}
