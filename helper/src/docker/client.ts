/**
 * dockerode clients for a DockerTarget: unix socket, tcp:// (TLS from a Docker-layout folder),
 * ssh:// (docker-modem runs `docker system dial-stdio` on the host through the ssh2 package).
 * docker-modem fills unset options from DOCKER_HOST and DOCKER_CERT_PATH; every option is set
 * here, so one engine's client never picks up another's address or certificates.
 */
import Docker from 'dockerode';
import { sshConnectConfig, type HostKeyStore } from './ssh.ts';
import { readTlsFolder } from './tls.ts';
import type { DockerTarget } from './target.ts';

export { describeTarget, parseDockerHost, type DockerTarget } from './target.ts';

export type ClientOptions = {
  /** Per-request timeout; none for the long-lived events and export streams. */
  timeoutMs?: number;
  /** Pinned SSH host keys (ssh:// only); without one, every host key is accepted. */
  hostKeys?: HostKeyStore;
};

const unset = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined, sshOptions: undefined };

export function createDockerClient(target: DockerTarget, options: ClientOptions | number = {}): Docker {
  const { timeoutMs, hostKeys } = typeof options === 'number' ? { timeoutMs: options, hostKeys: undefined } : options;
  const common = { ...unset, pathPrefix: '/', timeout: timeoutMs || undefined };
  switch (target.kind) {
    case 'unix':
      return new Docker({ ...common, socketPath: target.socketPath, protocol: 'http' } as Docker.DockerOptions);
    case 'tcp': {
      const tls = target.tlsDir ? readTlsFolder(target.tlsDir) : null;
      return new Docker({ ...common, host: target.host, port: target.port, protocol: tls ? 'https' : 'http', ...(tls ?? {}) } as Docker.DockerOptions);
    }
    case 'ssh': {
      const ssh = sshConnectConfig(target, hostKeys ?? { get: () => undefined, remember: () => undefined });
      return new Docker({ ...common, protocol: 'ssh', host: target.host, port: target.port, username: ssh.username, sshOptions: ssh } as Docker.DockerOptions);
    }
  }
}
