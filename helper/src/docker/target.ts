/**
 * Where a Docker Engine answers: a unix socket, tcp:// (TLS with client certificates from a
 * folder in Docker's layout, or plain on loopback only), or ssh://user@host (the remote
 * `docker system dial-stdio`, as the docker CLI does). Parsing only: nothing here connects.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type DockerTarget =
  | { kind: 'unix'; socketPath: string }
  /** `tlsDir`: ca.pem, cert.pem, key.pem (as DOCKER_CERT_PATH); null is plain HTTP, loopback only. */
  | { kind: 'tcp'; host: string; port: number; tlsDir: string | null }
  /** `keyFile`: a private key; null means the SSH agent, then the usual ~/.ssh keys. */
  | { kind: 'ssh'; host: string; port: number; user: string | null; keyFile: string | null };

/** A target the helper refuses, and why (the CLI prints it, the API answers 400 with it on `field`). */
export class EngineConfigError extends Error {
  constructor(
    message: string,
    readonly field: 'url' | 'tls' | 'sshKey' | 'context' = 'url',
  ) {
    super(message);
  }
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Options next to a URL: `tls=DIR` for tcp://, `key=FILE` for ssh://. */
export type TargetOptions = { tlsDir?: string | null; keyFile?: string | null };

export function parseEngineUrl(url: string, options: TargetOptions = {}): DockerTarget {
  const value = url.trim();
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EngineConfigError(`'${value}' is not unix:///absolute/path`);
    if (options.tlsDir || options.keyFile) throw new EngineConfigError(`'${value}': a unix socket takes no tls= or key=`);
    return { kind: 'unix', socketPath };
  }
  const match = /^(tcp|http|https|ssh):\/\/(?:([^@/:\s]+)@)?(\[[^\]\s]+\]|[^:/\s@[\]]+)(?::(\d{1,5}))?\/?$/.exec(value);
  if (!match) throw new EngineConfigError(`'${value}' is not unix:///path, tcp://host:port or ssh://user@host`);
  const [, scheme, user, rawHost = '', portText] = match;
  const host = rawHost.replace(/^\[|\]$/g, '');
  const port = portText ? Number(portText) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new EngineConfigError(`'${value}': port must be 1-65535`);
  if (scheme === 'ssh') {
    if (options.tlsDir) throw new EngineConfigError(`'${value}': ssh:// takes key=FILE, not tls=`);
    return { kind: 'ssh', host, port: port ?? 22, user: user ?? null, keyFile: options.keyFile ?? null };
  }
  if (user) throw new EngineConfigError(`'${value}': tcp:// takes no user name (client certificates identify you: tls=DIR)`);
  if (options.keyFile) throw new EngineConfigError(`'${value}': key= is for ssh:// engines; tcp:// uses tls=DIR`);
  const tlsDir = options.tlsDir ?? null;
  if (scheme === 'https' && !tlsDir) throw new EngineConfigError(`'${value}': https needs a TLS folder (tls=DIR with ca.pem, cert.pem, key.pem)`);
  return { kind: 'tcp', host, port: port ?? (tlsDir ? 2376 : 2375), tlsDir };
}

/**
 * DOCKER_HOST as the docker CLI reads it: unset means the local socket; DOCKER_CERT_PATH (or
 * ~/.docker with DOCKER_TLS_VERIFY) gives tcp:// its certificates.
 */
export function parseDockerHost(value: string | undefined, env: NodeJS.ProcessEnv = process.env): DockerTarget {
  if (!value) return { kind: 'unix', socketPath: DEFAULT_SOCKET };
  const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const certPath = env.DOCKER_CERT_PATH?.trim() || (tlsVerify ? join(env.HOME?.trim() || homedir(), '.docker') : '');
  const tcp = /^(tcp|http|https):/.test(value);
  try {
    return parseEngineUrl(value, tcp && certPath ? { tlsDir: certPath } : {});
  } catch (error) {
    throw new EngineConfigError(`DOCKER_HOST ${(error as Error).message}`);
  }
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain tcp:// may reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/**
 * The Docker API is root on its host: it never crosses a network in clear. Plain tcp:// is
 * for loopback (a local proxy, a tunnel); anything else needs TLS or ssh://.
 */
export function requireSafeTransport(target: DockerTarget): void {
  if (target.kind !== 'tcp' || target.tlsDir || isLoopbackHost(target.host)) return;
  throw new EngineConfigError(
    `plain tcp://${formatHost(target.host)}:${target.port} would send the Docker API (root on that host) unencrypted; ` +
      'give a TLS folder (tls=DIR with ca.pem, cert.pem, key.pem) or use ssh://user@host',
  );
}

/** The endpoint as a URL without secrets: never a key, a key path or a TLS folder. */
export function describeTarget(target: DockerTarget): string {
  switch (target.kind) {
    case 'unix':
      return `unix://${target.socketPath}`;
    case 'tcp':
      return `tcp://${formatHost(target.host)}:${target.port}`;
    case 'ssh':
      return `ssh://${target.user ? `${target.user}@` : ''}${formatHost(target.host)}${target.port === 22 ? '' : `:${target.port}`}`;
  }
}

/** The engine runs on this machine (a socket, or a loopback address): exporting from it crosses no network. */
export function isLocalTarget(target: DockerTarget): boolean {
  return target.kind === 'unix' || (target.kind === 'tcp' && isLoopbackHost(target.host));
}

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host);
