/**
 * dockerode clients honouring DOCKER_HOST (`unix:///path`, `tcp://host:port`, `http://…`);
 * default /var/run/docker.sock. Two clients: one with a request timeout for API calls, one
 * without for the long-lived events stream (a timeout would cut it when the host is quiet).
 */
import Docker from 'dockerode';
import type { DockerTarget } from './host.ts';

export { describeTarget, parseDockerHost, type DockerTarget } from './host.ts';

export function createDockerClient(target: DockerTarget, timeoutMs?: number): Docker {
  const common = timeoutMs ? { timeout: timeoutMs } : {};
  if (target.kind === 'unix') return new Docker({ socketPath: target.socketPath, ...common });
  return new Docker({ host: target.host, port: target.port, protocol: target.protocol, ...common });
}
