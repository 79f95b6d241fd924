/**
 * A Docker daemon of the test's own (its socket, data root and exec root under a directory the
 * test owns), for faults that stop dockerd itself: the shared daemon the other suites use is
 * never touched. Needs root, like any dockerd; started with the same flags as CI's daemon.
 */
import Docker from 'dockerode';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from './docker.ts';

export class PrivateDockerd {
  readonly socket: string;
  readonly client: Docker;
  private child: ChildProcess | null = null;
  private log = '';

  constructor(private readonly dir: string) {
    this.socket = join(dir, 'docker.sock');
    this.client = new Docker({ socketPath: this.socket });
  }

  get dockerHost(): string {
    return `unix://${this.socket}`;
  }

  /** Starts dockerd (again, on the same data root) and waits until it answers a ping. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const args = ['--iptables=false', '--ip-masq=false', '--bridge=none', '-H', this.dockerHost, '--data-root', join(this.dir, 'root'), '--exec-root', join(this.dir, 'exec'), '--pidfile', join(this.dir, 'docker.pid')];
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
