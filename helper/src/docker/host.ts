/**
 * Where the Docker Engine is: DOCKER_HOST (`unix:///path`, `tcp://host:port`, `http://…`),
 * default /var/run/docker.sock. Kept apart from the dockerode clients so that commands which
 * only resolve their configuration (`shipshape db status`) do not load dockerode.
 */
export type DockerTarget = { kind: 'unix'; socketPath: string } | { kind: 'tcp'; host: string; port: number; protocol: 'http' | 'https' };

export function parseDockerHost(value: string | undefined): DockerTarget {
  if (!value) return { kind: 'unix', socketPath: '/var/run/docker.sock' };
  if (value.startsWith('unix://')) return { kind: 'unix', socketPath: value.slice('unix://'.length) };
  const match = /^(tcp|http|https):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (!match) throw new Error(`DOCKER_HOST '${value}' is not unix:///path or tcp://host:port`);
  const [, scheme, host = '', port] = match;
  const protocol = scheme === 'https' ? 'https' : 'http';
  return { kind: 'tcp', host: host.replace(/^\[|\]$/g, ''), port: port ? Number(port) : protocol === 'https' ? 2376 : 2375, protocol };
}

export function describeTarget(target: DockerTarget): string {
  return target.kind === 'unix' ? `unix://${target.socketPath}` : `${target.protocol === 'https' ? 'tcp' : 'tcp'}://${target.host}:${target.port}`;
}
