/**
 * A fresh clone, as a new user gets it: `npm run build` and `npm link` (into a scratch npm prefix,
 * never the machine's), then the compiled `shipshape` from a folder outside the repository; and
 * `npm start` on a machine where no Docker Engine answers: it starts dockerd detached, a second
 * `npm start` reports the running helper, and Ctrl-C (SIGINT to npm's process group) stops the
 * helper cleanly while Docker goes on.
 *
 * "No Docker answers" is made real in a mount namespace of the test's own: a fresh /run (no
 * docker.sock, no containerd socket) and scratch folders over /var/lib/docker and /var/log, so the
 * unchanged scripts start a dockerd of their own that shares nothing with the machine's daemon.
 * Everything the test starts (that dockerd, npm and the helper) it stops, and nothing else.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '@shipshape/helper/process-alive.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { waitFor } from '../support/docker.ts';
import { freshClone } from '../support/fresh-clone.ts';
import { freePort, HELPER_NODE_FLAGS } from '../support/helper-process.ts';

const exec = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const helperVersion = (JSON.parse(readFileSync(join(repoRoot, 'helper', 'package.json'), 'utf8')) as { version: string }).version;

let work = '';
let clone = '';
let npmPrefix = '';

/** The environment of a person's shell: the scratch npm prefix (for npm link), its bin on the PATH. */
function userEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefix: npmPrefix, PATH: `${join(npmPrefix, 'bin')}:${process.env.PATH}`, ...extra };
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

async function sh(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { maxBuffer: 64 << 20, timeout: options.timeout ?? 600_000, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-fresh-'));
  npmPrefix = join(work, 'npm-global');
  await mkdir(npmPrefix);
  clone = await freshClone(repoRoot, join(work, 'shipshape'));
  const build = await sh('npm', ['run', 'build'], { cwd: clone, env: userEnv() });
  expect(build.code, `${build.stdout}\n${build.stderr}`).toBe(0);
  expect(existsSync(join(clone, 'dist', 'shipshape.js'))).toBe(true);
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the compiled CLI after npm run build and npm link, from a folder outside the repository', () => {
  let outside = '';
  let dataDir = '';
  let image = '';

  beforeAll(async () => {
    const link = await sh('npm', ['link', '--no-audit', '--no-fund'], { cwd: clone, env: userEnv() });
    expect(link.code, link.stderr).toBe(0);
    outside = join(work, 'somewhere-else');
    dataDir = join(work, 'data');
    await mkdir(outside);
    image = (await ensureDebianImage()).tag;
  }, 900_000);

  const shipshape = (args: string[], extra: Record<string, string | undefined> = {}) =>
    sh('shipshape', args, { cwd: outside, env: userEnv({ SHIPSHAPE_DATA_DIR: dataDir, ...extra }) });

  it('is on the PATH as a link to dist/shipshape.js, plain JavaScript run by node (no tsx, no package manager)', async () => {
    const which = await sh('bash', ['-c', 'command -v shipshape; readlink -f "$(command -v shipshape)"; head -n 1 "$(command -v shipshape)"'], { cwd: outside, env: userEnv() });
    const [onPath, target, shebang] = which.stdout.trim().split('\n');
    expect(onPath).toBe(join(npmPrefix, 'bin', 'shipshape'));
    expect(target).toBe(join(clone, 'dist', 'shipshape.js'));
    expect(shebang).toBe('#!/usr/bin/env node');
  });

  it('--version, --help, and the default data dir unchanged ($HOME/.local/share/shipshape)', async () => {
    const version = await shipshape(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `shipshape ${helperVersion}\n` });
    const help = await shipshape(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'status', 'images', 'scan', 'db', 'token', 'pair']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const home = join(work, 'home');
    const status = await shipshape(['db', 'status', '--json'], { SHIPSHAPE_DATA_DIR: undefined, XDG_DATA_HOME: undefined, HOME: home });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({ path: join(home, '.local', 'share', 'shipshape', 'vulndb', 'osv.sqlite'), exists: false });
  });

  it('shipshape images --json lists the Docker host images, the Debian test image among them', async () => {
    const result = await shipshape(['images', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const list = JSON.parse(result.stdout) as { total: number; items: { repoTags: string[] }[] };
    expect(list.total).toBe(list.items.length);
    expect(list.items.some((item) => item.repoTags.includes(image))).toBe(true);
  });

  it('shipshape scan IMAGE --format json prints the report: Debian 12 and its dpkg packages, secrets and malware checked', async () => {
    const result = await shipshape(['scan', image, '--format', 'json', '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { image: { tags: string[]; os: { family: string; version: string } }; packages: { name: string }[]; sensitive: unknown[]; malware: unknown[] };
    expect(report.image.tags).toContain(image);
    expect(report.image.os).toMatchObject({ family: 'debian', version: '12' });
    expect(report.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['bash', 'dpkg', 'libc6']));
    // The built-in secret rules and malware signatures are data files beside their modules: found in dist/.
    expect(Array.isArray(report.sensitive) && Array.isArray(report.malware)).toBe(true);
    expect(result.stderr).not.toMatch(/ENOENT|cannot find/i);
  }, 300_000);

  it('serve on a port another program holds: exit 1 with the --port hint, nothing started', async () => {
    const port = await freePort();
    // Another program: it accepts connections and never answers them.
    const held = new Set<Socket>();
    const squatter: Server = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const result = await shipshape(['serve', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`127.0.0.1:${port} is in use by another program (not a Shipshape helper)`);
      expect(result.stderr).toMatch(/'npm start -- --port \d+' or 'shipshape serve --port \d+'/);
      expect(existsSync(join(dataDir, 'helper.json'))).toBe(false);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('npm start on a machine where no Docker Engine answers (a mount namespace of its own)', () => {
  const scratch = () => join(work, 'machine');
  let npm: ChildProcess | null = null;
  let output = '';
  let dockerdPid = 0;

  /** Runs argv in the test's namespace: fresh /run, scratch /var/lib/docker and /var/log. */
  const inFreshNamespace = [
    'unshare', '--mount', '--propagation', 'private', 'bash', '-c',
    [
      'set -e',
      'mount -t tmpfs -o mode=755 shipshape-test-run /run',
      'mkdir -p /run/lock /run/shm',
      'mount --bind "$SCRATCH/var-lib-docker" /var/lib/docker',
      'mount --bind "$SCRATCH/var-log" /var/log',
      'cd "$CLONE"',
      'exec "$@"',
    ].join('\n'),
    'fresh-namespace',
  ];

  afterAll(async () => {
    if (npm?.pid && npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid, 'SIGKILL');
    if (dockerdPid && processAlive(dockerdPid)) {
      process.kill(dockerdPid, 'SIGTERM');
      await waitFor(() => !processAlive(dockerdPid), 60_000, 200).catch(() => process.kill(dockerdPid, 'SIGKILL'));
    }
  }, 120_000);

  it('starts dockerd in its own session; a second npm start says "already running"; Ctrl-C stops the helper, never Docker', async () => {
    await mkdir(join(scratch(), 'var-lib-docker'), { recursive: true });
    await mkdir(join(scratch(), 'var-log'), { recursive: true });
    await mkdir('/var/lib/docker', { recursive: true }); // the mount point (docker.io creates it; CI has it)
    const port = await freePort();
    const dataDir = join(work, 'start-data');
    const env = userEnv({ DOCKER_HOST: undefined, SCRATCH: scratch(), CLONE: clone });

    // detached: npm leads a process group of its own, as in a terminal, where Ctrl-C signals the whole group.
    npm = spawn(inFreshNamespace[0]!, [...inFreshNamespace.slice(1), 'npm', 'start', '--', '--port', String(port), '--data-dir', dataDir], {
      cwd: clone,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const npmGroup = npm.pid!;

    const health = async () => (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.json(), () => null)) as { docker?: { reachable: boolean } } | null;
    await waitFor(async () => {
      if (npm!.exitCode !== null) throw new Error(`npm start exited ${npm!.exitCode}:\n${output}`);
      return (await health())?.docker?.reachable === true;
    }, 600_000, 500).catch((error: Error) => {
      throw new Error(`${error.message}\n--- npm start output ---\n${output}`);
    });
    expect(output).toMatch(/starting \/usr\/s?bin\/dockerd in its own session/);
    expect(output).toContain('Extension built: load');

    const runFile = await readFile(join(dataDir, 'helper.json'), 'utf8');
    const helperPid = (JSON.parse(runFile) as { pid: number }).pid;
    dockerdPid = Number((await readFile(`/proc/${helperPid}/root/run/shipshape-dockerd.pid`, 'utf8')).trim());
    // The helper runs the compiled CLI, the same dist/shipshape.js that `npm link` put on the PATH,
    // with the node flags scripts/start.sh gives it.
    const helperArgv = readFileSync(`/proc/${helperPid}/cmdline`, 'utf8').split('\0');
    const expectedArgv = [...HELPER_NODE_FLAGS, 'dist/shipshape.js', 'serve'];
    expect(helperArgv.slice(1, 1 + expectedArgv.length)).toEqual(expectedArgv);
    expect(readFileSync(join(scratch(), 'var-log', 'shipshape-dockerd.log'), 'utf8')).toMatch(/API listen on \/var\/run\/docker\.sock/);
    const stat = (pid: number) => (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    // /proc/PID/stat after the command name: state ppid pgrp session …
    expect(stat(helperPid)[2], 'the helper runs in npm start\'s process group').toBe(String(npmGroup));
    expect(stat(dockerdPid)[3], 'dockerd leads a session of its own').toBe(String(dockerdPid));
    expect(stat(dockerdPid)[2]).not.toBe(String(npmGroup));

    // A second npm start, in the same machine view, while the helper runs, with flags only serve
    // takes: it finds the helper at once, installing and building nothing under it.
    const second = await sh('nsenter', [`--mount=/proc/${helperPid}/ns/mnt`, 'bash', '-c', 'cd "$CLONE" && npm start -- --port "$1" --data-dir "$2" --layer-source export --scan-workers 2', 'second', String(port), dataDir], {
      cwd: clone,
      env,
      timeout: 120_000,
    });
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(second.stdout).toContain(`Shipshape is already running on 127.0.0.1:${port}, pid ${helperPid}`);
    expect(second.stdout + second.stderr).not.toContain('EADDRINUSE');
    expect(second.stdout, 'no install or build under a running helper').not.toContain('Extension built');
    expect(processAlive(helperPid)).toBe(true);
    expect(await readFile(join(dataDir, 'helper.json'), 'utf8')).toBe(runFile);
    expect((await health())?.docker?.reachable).toBe(true);

    // Ctrl-C: SIGINT to npm start's whole process group.
    process.kill(-npmGroup, 'SIGINT');
    await waitFor(() => !processAlive(helperPid), 60_000, 100);
    await waitFor(() => npm!.exitCode !== null || npm!.signalCode !== null, 60_000, 100);
    expect(output).toContain('shipshape: SIGINT: shutting down');
    expect(output).toContain('shipshape: stopped');
    expect(existsSync(join(dataDir, 'helper.json')), 'a clean stop removes its run file').toBe(false);

    // Docker goes on: the same dockerd, answering on its socket.
    expect(processAlive(dockerdPid)).toBe(true);
    const ping = await sh('nsenter', [`--mount=/proc/${dockerdPid}/ns/mnt`, process.execPath, join(clone, 'scripts', 'docker-ping.mjs')], { cwd: clone, env: userEnv({ DOCKER_HOST: undefined }) });
    expect(ping.code, ping.stdout).toBe(0);
    expect(ping.stdout).toMatch(/^\d+\.\d+/);
  }, 900_000);
});
