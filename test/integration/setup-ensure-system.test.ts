/**
 * scripts/ensure-system.sh on a fresh machine whose `docker` command is a client with no daemon
 * (this project's CI machines are exactly that): a container of the Debian test image with only
 * the host's docker CLI and node added, Debian's mirror reachable (--network host), and the
 * capabilities dockerd needs. The script runs unchanged, as a user and as root:
 *   user, nothing installed    → names the root command and the docker group, exit 1, no apt;
 *   root                       → installs docker.io, starts dockerd detached (own session,
 *                                log, pid file), Docker answers after the script has exited;
 *   user, daemon up, no group  → names 'usermod -aG docker', exit 1;
 *   user in the docker group   → Docker answers, exit 0, nothing installed;
 *   socket owned by root:root  → the docker group is not enough: names chgrp.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianImage } from '../support/debian-image.ts';

const exec = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const container = `shipshape-test-setup-${process.pid}`;
const script = '/opt/shipshape/scripts/ensure-system.sh';

type Result = { code: number; out: string };

/** `docker exec` in the test container; never throws on a non-zero exit (the exit code is asserted). */
async function inside(user: 'root' | 'alice', command: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await exec('docker', ['exec', '-u', user, container, ...command], { maxBuffer: 16 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('scripts/ensure-system.sh where docker is a CLI without a daemon', () => {
  beforeAll(async () => {
    const { tag } = await ensureDebianImage();
    const dockerCli = await realpath((await exec('bash', ['-c', 'command -v docker'])).stdout.trim());
    await exec('docker', ['rm', '-f', container]).catch(() => undefined);
    await exec('docker', [
      'run', '-d', '--name', container, '--init', '--network', 'host',
      // What dockerd needs inside: every capability this host grants (it withholds SYS_RESOURCE,
      // so --privileged itself fails here), no seccomp/AppArmor filter, and a data root of its own.
      '--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined',
      '--tmpfs', '/var/lib/docker',
      '-v', `${join(repoRoot, 'scripts')}:/opt/shipshape/scripts:ro`,
      '-v', `${process.execPath}:/usr/local/bin/node:ro`,
      '-v', `${dockerCli}:/usr/local/bin/docker:ro`,
      tag, 'sleep', 'infinity',
    ]);
    // As on a Debian image or this VM: package scripts do not start services (docker.io's would
    // start dockerd with a bridge and iptables in the host's network namespace).
    const setup = await inside('root', ['bash', '-c', 'printf "#!/bin/sh\\nexit 101\\n" >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && useradd -m alice']);
    expect(setup, setup.out).toMatchObject({ code: 0 });
  }, 900_000);

  afterAll(async () => {
    await exec('docker', ['rm', '-f', container]).catch(() => undefined);
  });

  it('as a user, with no daemon installed: names the exact root command and the docker group, installs nothing', async () => {
    const before = await inside('root', ['bash', '-c', 'command -v docker; docker version --format "{{.Client.Version}}"; command -v dockerd || echo no-dockerd']);
    expect(before.out).toContain('/usr/local/bin/docker');
    expect(before.out).toContain('no-dockerd');

    const result = await inside('alice', ['bash', script]);
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain("Docker's daemon is not installed (the 'docker' command alone is a client)");
    expect(result.out).toContain(`'sudo bash ${script}'`);
    expect(result.out).toContain("being in the docker group is enough: 'sudo usermod -aG docker alice'");
    expect(result.out).not.toContain('installing');
  });

  it('as root: installs docker.io and starts dockerd in its own session, with its own log and pid file', async () => {
    const result = await inside('root', ['bash', script]);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('installing Debian packages: docker.io');
    expect(result.out).toMatch(/starting \/usr\/s?bin\/dockerd in its own session \(log: \/var\/log\/shipshape-dockerd\.log, pid file: \/run\/shipshape-dockerd\.pid\)/);
    expect(result.out).toMatch(/Docker Engine \S+ is up/);

    // The script has exited; the daemon it started goes on, as the leader of its own session.
    const daemon = await inside('root', ['bash', '-c', 'pid=$(cat /run/shipshape-dockerd.pid); echo "pid=$pid comm=$(cat /proc/$pid/comm) sid=$(cut -d" " -f6 /proc/$pid/stat)"; docker version --format "server={{.Server.Version}}"; test -s /var/log/shipshape-dockerd.log && echo log-written']);
    expect(daemon.code, daemon.out).toBe(0);
    const [, pid, sid] = /pid=(\d+) comm=dockerd sid=(\d+)/.exec(daemon.out) ?? [];
    expect(pid, daemon.out).toBeDefined();
    expect(sid).toBe(pid);
    expect(daemon.out).toMatch(/server=\d+\.\d+/);
    expect(daemon.out).toContain('log-written');

    const again = await inside('root', ['bash', script]);
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toContain('installing');
    expect(again.out).not.toContain('starting');
  }, 900_000);

  it('as a user while Docker runs: outside the docker group it names usermod; inside it, Docker answers without root', async () => {
    const outside = await inside('alice', ['bash', script]);
    expect(outside.code, outside.out).toBe(1);
    expect(outside.out).toContain("Docker answers, but only to root and the docker group");
    expect(outside.out).toContain("'sudo usermod -aG docker alice'");

    expect((await inside('root', ['usermod', '-aG', 'docker', 'alice'])).code).toBe(0);
    const member = await inside('alice', ['bash', '-c', `id -nG; bash ${script}`]);
    expect(member.code, member.out).toBe(0);
    expect(member.out).toMatch(/\bdocker\b/);
    expect(member.out).toMatch(/Docker Engine \S+ is up/);
    expect(member.out).not.toContain('installing');

    // A socket a dockerd gave to root (started before the docker group existed): the group is not enough.
    expect((await inside('root', ['chgrp', 'root', '/var/run/docker.sock'])).code).toBe(0);
    const rootSocket = await inside('alice', ['bash', script]);
    expect((await inside('root', ['chgrp', 'docker', '/var/run/docker.sock'])).code).toBe(0);
    expect(rootSocket.code, rootSocket.out).toBe(1);
    expect(rootSocket.out).toContain("/var/run/docker.sock belongs to group 'root', so the docker group is not enough yet");
    expect(rootSocket.out).toContain("'sudo chgrp docker /var/run/docker.sock && sudo chmod g+rw /var/run/docker.sock'");
  });
});
