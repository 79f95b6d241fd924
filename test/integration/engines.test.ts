/**
 * Several real Docker engines, one helper: the default engine (DOCKER_HOST), a second dockerd
 * on its own socket and a third on tcp://127.0.0.1:<port> with TLS (certificates made with
 * openssl by the test), each with its own data root, exec root, pidfile and containerd
 * namespaces. The same image in the second and third, another in the default one: one list
 * with the right servers, a container named by its engine, one scan of the shared image, an
 * engine stopping (offline within seconds, the others go on) and coming back without a helper
 * restart, an engine added from a real `docker context create`, and the refusals.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ContainerList, DockerContextList, Engine, EngineList, ImageDetail, ImageList, ImageServerList, ScanTask, ServerList } from '@shipshape/shared';
import { readTlsFolder } from '@shipshape/helper/docker/tls.ts';
import { loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, freePort, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { PrivateDockerd } from '../support/private-dockerd.ts';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PREFIX = 'shipshape-test/engines';
const nonce = `${process.pid}-${Date.now()}`;
const osRelease = { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n' };

let work: string;
let certs: TestCertificates;
let second: PrivateDockerd;
let third: PrivateDockerd;
let thirdClient: Docker;
let dockerConfig: string;
let helper: HelperProcess;
const ids = { shared: '', local: '', onlySecond: '' };

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const api = <T>(path: string, init?: RequestInit) => apiJson<T>(helper, path, init);
const servers = async (query = '') => (await api<ServerList>(`/api/servers${query}`)).items;
const image = (id: string) => api<ImageDetail>(`/api/images/${id}`);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-engines-'));
  certs = await makeTestCertificates(join(work, 'certs'));
  second = new PrivateDockerd(join(work, 'second'), { namespace: `shipshape-test-second-${process.pid}` });
  third = new PrivateDockerd(join(work, 'third'), { namespace: `shipshape-test-third-${process.pid}`, tls: { port: await freePort(), certs } });
  await Promise.all([second.start(), third.start()]);
  thirdClient = new Docker({ host: '127.0.0.1', port: Number(third.tcpHost!.split(':').at(-1)), protocol: 'https', ...readTlsFolder(certs.clientDir) });

  const archive = async (name: string, tag: string) => {
    const file = join(work, `${name}.tar`);
    const built = await writeImageArchive({ tags: [tag], layers: [{ files: [osRelease, { path: `/srv/${name}.txt`, content: `${name} ${nonce}\n` }] }] }, file);
    return { file, id: built.imageId };
  };
  const shared = await archive('shared', `${PREFIX}:shared`);
  const local = await archive('local', `${PREFIX}:local`);
  const onlySecond = await archive('only-second', `${PREFIX}:only-second`);
  await loadImageArchive(shared.file, second.client);
  await loadImageArchive(shared.file, thirdClient);
  await loadImageArchive(onlySecond.file, second.client);
  await loadImageArchive(local.file);
  Object.assign(ids, { shared: shared.id, local: local.id, onlySecond: onlySecond.id });

  // A real Docker context pointing at the third engine, written by the docker CLI itself.
  dockerConfig = join(work, 'docker-config');
  await run('docker', ['context', 'create', 'third-ctx', '--description', 'the TLS engine', '--docker', `host=${third.tcpHost},ca=${join(certs.clientDir, 'ca.pem')},cert=${join(certs.clientDir, 'cert.pem')},key=${join(certs.clientDir, 'key.pem')}`], {
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
  });

  helper = await startHelper({
    env: { SHIPSHAPE_ENGINES: `second=${second.dockerHost},third=${third.tcpHost},tls=${certs.clientDir}`, DOCKER_CONFIG: dockerConfig },
  });
  await waitFor(async () => (await servers('?status=online')).length === 3, 60_000, 200);
  await waitFor(async () => (await helper.api(`/api/images/${ids.local}`)).ok && (await image(ids.shared)).servers.length === 2, 60_000, 200);
}, 600_000);

afterAll(async () => {
  await helper?.stop();
  await Promise.all([second?.destroy(), third?.destroy()]);
  await removeImages(PREFIX);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('one helper, three real engines', () => {
  it('lists each image once, with the engines that hold it', async () => {
    const list = await api<ImageList>(`/api/images?q=${encodeURIComponent(PREFIX)}&limit=500`);
    const byId = new Map(list.items.map((i) => [i.id, i]));
    expect(list.items.filter((i) => i.id === ids.shared)).toHaveLength(1);
    expect(byId.get(ids.shared)!.servers).toEqual(['second', 'third']);
    expect(byId.get(ids.local)!.servers).toEqual(['local']);
    expect(byId.get(ids.onlySecond)!.servers).toEqual(['second']);
    const onThird = await api<ImageList>('/api/images?server=third&limit=500');
    expect(onThird.items.map((i) => i.id)).toEqual([ids.shared]);

    const all = await servers();
    expect(all.map((s) => [s.name, s.kind, s.online])).toEqual([
      ['local', 'unix', true],
      ['second', 'unix', true],
      ['third', 'tcp', true],
    ]);
    const tls = all.find((s) => s.name === 'third')!;
    expect(tls).toMatchObject({ endpoint: third.tcpHost, ipAddresses: ['127.0.0.1'], imageCount: 1, dockerVersion: expect.stringMatching(/^\d+\.\d+/) });
    expect(all.find((s) => s.name === 'second')!.imageCount).toBe(2);
  });

  it('shows a container created on one engine under that engine', async () => {
    await thirdClient.createContainer({ Image: ids.shared, name: `shipshape-test-engines-${process.pid}`, Cmd: ['/bin/true'], HostConfig: { NetworkMode: 'none' } });
    const containers = (await waitFor(async () => {
      const list = await api<ContainerList>(`/api/images/${ids.shared}/containers`);
      return list.total === 1 ? list : null;
    }, 10_000, 100))!;
    expect(containers.items[0]).toMatchObject({ name: `shipshape-test-engines-${process.pid}`, serverId: 'third', state: 'created' });
    const holders = await api<ImageServerList>(`/api/images/${ids.shared}/servers`);
    expect(holders.items.map((s) => [s.name, s.containers.total, s.repoTags])).toEqual([
      ['second', 0, [`${PREFIX}:shared`]],
      ['third', 1, [`${PREFIX}:shared`]],
    ]);
  });

  it('scans the shared image once, from one engine, and the result holds on both', async () => {
    const task = await api<ScanTask>('/api/scans', post({ images: [ids.shared, ids.shared.slice(7, 19), `${ids.shared.slice(7, 23)}`], categories: ['sensitive'] }));
    expect(task.total).toBe(1);
    const done = (await waitFor(async () => {
      const t = await api<ScanTask>(`/api/scans/${task.id}`);
      return t.done === t.total ? t : null;
    }, 120_000, 200))!;
    expect(done.images[0]).toMatchObject({ status: 'scanned', server: 'second' });
    expect(helper.output()).toMatch(/scan shipshape-test\/engines:shared \([0-9a-f]{12}\) from engine second/);
    for (const server of ['second', 'third']) {
      const listed = await api<ImageList>(`/api/images?server=${server}&scanStatus=scanned&limit=500`);
      expect(listed.items.map((i) => i.id), server).toContain(ids.shared);
    }
  });

  it('marks a stopped engine offline within seconds; the others keep working; it comes back without a helper restart', async () => {
    const pid = helper.child.pid;
    const stoppedAt = Date.now();
    await second.stop();
    await waitFor(async () => (await servers('?status=offline')).map((s) => s.name).join() === 'second', 10_000, 100);
    const noticedMs = Date.now() - stoppedAt;
    expect(noticedMs).toBeLessThan(10_000);

    // Its images stay listed with their servers; the image's servers say which is offline.
    expect((await image(ids.shared)).servers).toEqual(['second', 'third']);
    const holders = await api<ImageServerList>(`/api/images/${ids.shared}/servers?status=online`);
    expect(holders.items.map((s) => s.name)).toEqual(['third']);
    expect((await image(ids.onlySecond)).servers).toEqual(['second']);

    // The others go on: a new image on the third engine shows up.
    const late = join(work, 'late.tar');
    const lateId = (await writeImageArchive({ tags: [`${PREFIX}:late`], layers: [{ files: [osRelease, { path: '/late', content: nonce }] }] }, late)).imageId;
    await loadImageArchive(late, thirdClient);
    await waitFor(async () => (await helper.api(`/api/images/${lateId}`)).ok, 10_000, 100);

    // Scans: the shared image is read from the engine still there; one only on the stopped engine says so.
    const task = await api<ScanTask>('/api/scans', post({ images: [ids.shared, ids.onlySecond], categories: ['sensitive'] }));
    const done = (await waitFor(async () => {
      const t = await api<ScanTask>(`/api/scans/${task.id}`);
      return t.done === t.total ? t : null;
    }, 120_000, 200))!;
    expect(done.images.find((i) => i.imageId === ids.shared)).toMatchObject({ status: 'scanned', server: 'third' });
    expect(done.images.find((i) => i.imageId === ids.onlySecond)).toMatchObject({ status: 'scan_exception', reason: 'engine second offline' });
    expect((await image(ids.onlySecond)).scanError).toBe('engine second offline');

    await second.start();
    await waitFor(async () => (await servers('?status=offline')).length === 0, 30_000, 200);
    expect(helper.child.pid).toBe(pid);
    expect(helper.child.exitCode).toBeNull();
    expect((await servers()).find((s) => s.name === 'second')).toMatchObject({ online: true, imageCount: 2 });
    console.log(`engines: a stopped engine was shown offline after ${noticedMs} ms`);
  });

  it('adds an engine from a Docker context (written by the docker CLI), and removes it', async () => {
    const contexts = await api<DockerContextList>('/api/engines/contexts');
    expect(contexts.items).toEqual([{ name: 'third-ctx', description: 'the TLS engine', endpoint: third.tcpHost, tls: true, current: false, engine: null }]);
    const added = await api<Engine>('/api/engines', post({ name: 'via-context', context: 'third-ctx' }));
    expect(added).toMatchObject({ name: 'via-context', context: 'third-ctx', tls: true, online: true, source: 'added' });
    await waitFor(async () => (await image(ids.shared)).servers.includes('via-context'), 10_000, 100);
    expect(JSON.stringify(await api('/api/engines'))).not.toContain(dockerConfig);
    await api('/api/engines/via-context', { method: 'DELETE' });
    expect((await api<EngineList>('/api/engines')).items.map((e) => e.name)).toEqual(['local', 'second', 'third']);
    expect((await image(ids.shared)).servers).toEqual(['second', 'third']);
  });

  it('refuses plain tcp:// off loopback, a TLS folder with the wrong CA, an unknown context and a duplicate name, with a clear 400', async () => {
    const refusal = async (body: unknown) => {
      const res = await helper.api('/api/engines', post(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      return ((await res.json()) as { error: { message: string; field: string } }).error;
    };
    expect(await refusal({ name: 'far', url: 'tcp://192.0.2.10:2375' })).toMatchObject({ field: 'url', message: expect.stringMatching(/plain tcp:\/\/192\.0\.2\.10:2375 would send the Docker API .* unencrypted/) });
    expect(await refusal({ name: 'wrong-ca', url: third.tcpHost, tls: certs.wrongCaDir })).toMatchObject({ field: 'url', message: expect.stringMatching(/its TLS certificate is not signed by the CA in the TLS folder's ca\.pem/) });
    expect(await refusal({ name: 'prod', context: 'prod' })).toMatchObject({ field: 'context', message: expect.stringMatching(/no Docker context named 'prod'.*there are: third-ctx/) });
    expect(await refusal({ name: 'second', url: third.tcpHost, tls: certs.clientDir })).toMatchObject({ field: 'name', message: expect.stringMatching(/'second' exists already/) });
    expect((await api<EngineList>('/api/engines')).items.map((e) => e.name)).toEqual(['local', 'second', 'third']);
  });

  it('says the same through the CLI, and refuses a bad --engine before starting', async () => {
    const cli = (...args: string[]) =>
      run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper/src/cli/main.ts'), ...args], { cwd: repoRoot, timeout: 60_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const at = ['--port', String(helper.port), '--data-dir', helper.dataDir];
    const wrongCa = await cli('engines', 'add', 'wrong-ca', third.tcpHost!, '--tls', certs.wrongCaDir, ...at);
    expect(wrongCa.code).toBe(1);
    expect(wrongCa.stderr).toMatch(/shipshape engines add: could not connect to tcp:\/\/127\.0\.0\.1:\d+: its TLS certificate is not signed/);
    const plain = await cli('engines', 'add', 'far', 'tcp://192.0.2.10:2375', ...at);
    expect(plain).toMatchObject({ code: 1, stderr: expect.stringMatching(/unencrypted/) });
    const listed = await cli('engines', 'list', ...at);
    expect(listed.stdout).toMatch(/^third\s+tcp:\/\/127\.0\.0\.1:\d+ \(TLS\)\s+online\s+config/m);
    const start = await cli('serve', '--port', String(await freePort()), '--data-dir', join(work, 'never'), '--engine', 'far=tcp://192.0.2.10:2375');
    expect(start.code).not.toBe(0);
    expect(start.stderr).toMatch(/plain tcp:\/\/192\.0\.2\.10:2375 would send the Docker API/);
  });
});
