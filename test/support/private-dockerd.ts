/**
 * A Docker daemon of the test's own (its socket, data root, exec root and pidfile under a
 * directory the test owns, its own containerd namespaces), for faults that stop dockerd
 * itself and for suites that need several engines: the shared daemon the other suites use is
 * never touched. Optionally also listens on tcp://127.0.0.1:<port> with TLS (client
 * certificates required). Needs root, like any dockerd; started with the same flags as CI's daemon.
 */
import Docker from 'dockerode';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { waitFor } from './docker.ts';
import type { TestCertificates } from './tls-certs.ts';

export type PrivateDockerdOptions = {
  /** containerd namespaces of their own (`<name>` and `<name>-plugins`): default from the folder name. */
  namespace?: string;
  /** Also listen on tcp://127.0.0.1:<port>, TLS with client certificates from these. */
  tls?: { port: number; certs: TestCertificates };
};

export class PrivateDockerd {
  readonly socket: string;
  readonly client: Docker;
  private child: ChildProcess | null = null;
  private log = '';

  constructor(
    private readonly dir: string,
    private readonly options: PrivateDockerdOptions = {},
  ) {
    this.socket = join(dir, 'docker.sock');
    this.client = new Docker({ socketPath: this.socket });
  }

  /** tcp://127.0.0.1:<port> when started with TLS. */
  get tcpHost(): string | null {
    return this.options.tls ? `tcp://127.0.0.1:${this.options.tls.port}` : null;
  }

  get dockerHost(): string {
    return `unix://${this.socket}`;
  }

  /** Starts dockerd (again, on the same data root) and waits until it answers a ping. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const namespace = this.options.namespace ?? `shipshape-test-${basename(this.dir).replace(/[^A-Za-z0-9-]/g, '-')}`;
    const args = [
      '--iptables=false', '--ip-masq=false', '--bridge=none',
      '-H', this.dockerHost,
      '--data-root', join(this.dir, 'root'), '--exec-root', join(this.dir, 'exec'), '--pidfile', join(this.dir, 'docker.pid'),
      '--containerd-namespace', namespace, '--containerd-plugins-namespace', `${namespace}-plugins`,
    ];
    const tls = this.options.tls;
    if (tls) args.push('-H', `tcp://127.0.0.1:${tls.port}`, '--tlsverify', '--tlscacert', tls.certs.ca, '--tlscert', tls.certs.serverCert, '--tlskey', tls.certs.serverKey);
    const child = spawn('dockerd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
    try {
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
        return this.client.ping().then(() => true, () => false);
      }, 60_000, 200);
    } catch (error) {
      throw new Error(`private dockerd did not come up: ${(error as Error).message}\n${this.log.slice(-2000)}`);
    }
  }

  /** Stops dockerd the way a service manager does (SIGTERM) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the daemon and deletes everything it stored. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
