/**
 * A local sshd of the test's own (Debian's openssh-server) on 127.0.0.1:<port>, with its own
 * host key, a test user in the docker group and that user's key: what an ssh:// engine needs.
 * The user's sessions get DOCKER_HOST (sshd SetEnv), so `docker system dial-stdio` reaches the
 * engine the test chose. The user is created for the run and deleted after. Needs root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './docker.ts';
import { freePort } from './helper-process.ts';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export class TestSshd {
  readonly user = `shipshape-ssh-${process.pid}`.slice(0, 32);
  readonly clientKey: string;
  readonly hostKey: string;
  port = 0;
  private child: ChildProcess | null = null;
  private log = '';

  constructor(
    private readonly dir: string,
    /** The engine the user's `docker` talks to, e.g. unix:///…/docker.sock. */
    private readonly dockerHost: string,
  ) {
    this.clientKey = join(dir, 'client_key');
    this.hostKey = join(dir, 'host_key');
  }

  /** Creates the user and keys, then starts sshd (again, on the same port, after stop()). */
  async start(): Promise<void> {
    if (process.getuid?.() !== 0) throw new Error('the ssh engine test needs root: it creates a user and runs sshd (CI runs as root)');
    if (!this.port) await this.setUp();
    const child = spawn(SSHD, ['-D', '-e', '-f', join(this.dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.log += `--- sshd started (pid ${child.pid})\n`;
    const from = this.log.length;
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${this.log}`);
      return this.log.includes('Server listening', from);
    }, 15_000, 50);
  }

  /** Stops sshd and the sessions it forked (as a host going down would): open connections drop. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(child.pid)]).catch(() => ({ stdout: '' }));
    for (const pid of stdout.split(/\s+/).filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** A new host key: a client that pinned the old one must refuse this host now. */
  async replaceHostKey(): Promise<void> {
    await rm(this.hostKey, { force: true });
    await rm(`${this.hostKey}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', this.hostKey]);
  }

  /** The host key's fingerprint as ssh-keygen prints it (SHA256:…). */
  async hostKeyFingerprint(): Promise<string> {
    const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${this.hostKey}.pub`]);
    return stdout.split(' ')[1]!;
  }

  get url(): string {
    return `ssh://${this.user}@127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.log;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await run('userdel', ['--remove', this.user]).catch(() => undefined);
  }

  private async setUp(): Promise<void> {
    this.port = await freePort();
    await mkdir(this.dir, { recursive: true });
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation folder
    await run('useradd', ['--create-home', '--shell', '/bin/sh', '--groups', 'docker', this.user]);
    await run('usermod', ['--password', '*', this.user]); // no password, but not a locked account
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', this.hostKey]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'shipshape-test', '-f', this.clientKey]);
    const authorized = join(this.dir, 'authorized_keys');
    await writeFile(authorized, await readFile(`${this.clientKey}.pub`));
    await chmod(authorized, 0o644);
    await writeFile(
      join(this.dir, 'sshd_config'),
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${this.hostKey}`,
        `PidFile ${join(this.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorized}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin no',
        'UsePAM no',
        // The keys live in the test's temporary folder (under /tmp), not in the user's home.
        'StrictModes no',
        `AllowUsers ${this.user}`,
        `SetEnv DOCKER_HOST=${this.dockerHost}`,
        '',
      ].join('\n'),
    );
  }
}
