/**
 * dockerode clients for a DockerTarget: unix socket, tcp:// (TLS from a Docker-layout folder),
 * ssh:// (HTTP through `docker system dial-stdio` on the host, over ssh2: ssh-agent.ts).
 * docker-modem fills unset options from DOCKER_HOST and DOCKER_CERT_PATH; every option is set
 * here, so one engine's client never picks up another's address or certificates.
 */
import Docker from 'dockerode';
import { SshTunnelAgent } from './ssh-agent.ts';
import { sshConnectConfig, type HostKeyStore } from './ssh.ts';
import { readTlsFolder } from './tls.ts';
import type { DockerTarget } from './target.ts';

export { describeTarget, parseDockerHost, type DockerTarget } from './target.ts';

export type ClientOptions = {
  /** Per-request timeout; none for the long-lived events and export streams. */
  timeoutMs?: number;
  /** Pinned SSH host keys (ssh:// only); without one, every host key is accepted. */
  hostKeys?: HostKeyStore;
  /** ssh:// only: share one SSH connection between clients (see sshAgentFor). */
  sshAgent?: SshTunnelAgent;
};

/** The SSH connection of an ssh:// engine, to share between its API and stream clients. */
export function sshAgentFor(target: DockerTarget, hostKeys?: HostKeyStore): SshTunnelAgent | undefined {
  if (target.kind !== 'ssh') return undefined;
  return new SshTunnelAgent(sshConnectConfig(target, hostKeys ?? { get: () => undefined, remember: () => undefined }));
}

const unset = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined, sshOptions: undefined };

export function createDockerClient(target: DockerTarget, options: ClientOptions | number = {}): Docker {
  const { timeoutMs, hostKeys, sshAgent } = typeof options === 'number' ? { timeoutMs: options, hostKeys: undefined, sshAgent: undefined } : options;
  const common = { ...unset, pathPrefix: '/', timeout: timeoutMs || undefined };
  switch (target.kind) {
    case 'unix':
      return new Docker({ ...common, socketPath: target.socketPath, protocol: 'http' } as Docker.DockerOptions);
    case 'tcp': {
      const tls = target.tlsDir ? readTlsFolder(target.tlsDir) : null;
      return new Docker({ ...common, host: target.host, port: target.port, protocol: tls ? 'https' : 'http', ...(tls ?? {}) } as Docker.DockerOptions);
    }
    case 'ssh':
      // Plain HTTP whose connections are SSH channels: the agent makes them.
      return new Docker({ ...common, protocol: 'http', host: target.host, port: target.port, agent: sshAgent ?? sshAgentFor(target, hostKeys) } as Docker.DockerOptions);
  }
}
