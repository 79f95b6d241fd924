/**
 * An ssh:// engine for real: Debian's sshd on 127.0.0.1 with a test user in the docker group
 * and a test key, in front of a dockerd of the test's own. The ssh:// engine lists the same
 * images as the socket it fronts; the helper pins the host key on first contact and refuses a
 * changed one; a key the server does not accept is a clear 400.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { Engine, EngineList, ImageList, ServerList } from '@shipshape/shared';
import { loadImageArchive, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { PrivateDockerd } from '../support/private-dockerd.ts';
import { TestSshd } from '../support/test-sshd.ts';

const run = promisify(execFile);
let work: string;
let dockerd: PrivateDockerd;
let sshd: TestSshd;
let helper: HelperProcess;
const loaded: string[] = [];

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ids = async (server: string) => (await apiJson<ImageList>(helper, `/api/images?server=${server}&limit=500`)).items.map((i) => i.id).sort();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-engines-ssh-'));
  await chmod(work, 0o755); // the ssh user reaches the engine's socket through this folder
  dockerd = new PrivateDockerd(join(work, 'dockerd'), { namespace: `shipshape-test-ssh-${process.pid}` });
  await dockerd.start();
  await chmod(join(work, 'dockerd'), 0o755);
  for (const name of ['one', 'two']) {
    const file = join(work, `${name}.tar`);
    const built = await writeImageArchive({ tags: [`shipshape-test/engines-ssh:${name}`], layers: [{ files: [{ path: `/${name}`, content: `${name} ${process.pid}\n` }] }] }, file);
    await loadImageArchive(file, dockerd.client);
    loaded.push(built.imageId);
  }
  sshd = new TestSshd(join(work, 'sshd'), dockerd.dockerHost);
  await sshd.start();
  helper = await startHelper({ env: { SHIPSHAPE_ENGINES: `fronted=${dockerd.dockerHost},over-ssh=${sshd.url},key=${sshd.clientKey}` } });
  await waitFor(async () => (await apiJson<ServerList>(helper, '/api/servers?status=online')).items.length === 3, 60_000, 200).catch((error: Error) => {
    throw new Error(`${error.message}\nhelper:\n${helper.output()}\nsshd:\n${sshd.output()}`);
  });
}, 600_000);

afterAll(async () => {
  await helper?.stop();
  await sshd?.destroy();
  await dockerd?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('an ssh:// engine', () => {
  it('lists the same images as the socket it fronts', async () => {
    await waitFor(async () => (await ids('over-ssh')).length === 2, 30_000, 200);
    expect(await ids('over-ssh')).toEqual([...loaded].sort());
    expect(await ids('over-ssh')).toEqual(await ids('fronted'));
    const server = (await apiJson<ServerList>(helper, '/api/servers?q=over-ssh')).items[0]!;
    expect(server).toMatchObject({ kind: 'ssh', endpoint: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, online: true, ipAddresses: ['127.0.0.1'], imageCount: 2 });
    expect(server.dockerVersion).toBe((await apiJson<ServerList>(helper, '/api/servers?q=fronted')).items[0]!.dockerVersion);
  });

  it('pins the host key on first contact (the fingerprint ssh-keygen prints) and never sends the key path', async () => {
    const engine = (await apiJson<EngineList>(helper, '/api/engines')).items.find((e) => e.name === 'over-ssh')!;
    expect(engine.hostKey).toBe(await sshd.hostKeyFingerprint());
    expect(JSON.stringify(await apiJson(helper, '/api/engines'))).not.toContain(sshd.clientKey);
  });

  it('adds an ssh:// engine at run time; a key the server refuses is a clear 400', async () => {
    const added = await apiJson<Engine>(helper, '/api/engines', post({ name: 'added-ssh', url: sshd.url, sshKey: sshd.clientKey }));
    expect(added).toMatchObject({ name: 'added-ssh', kind: 'ssh', online: true, hostKey: await sshd.hostKeyFingerprint() });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'stranger')]);
    const refused = await helper.api('/api/engines', post({ name: 'stranger', url: sshd.url, sshKey: join(work, 'stranger') }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/the SSH server refused the key/);
    // A refused key pins nothing new: the host's key was pinned already, by the engine that works.
    expect((await apiJson<EngineList>(helper, '/api/engines')).items.find((e) => e.name === 'over-ssh')!.hostKey).toBe(await sshd.hostKeyFingerprint());
    await apiJson(helper, '/api/engines/added-ssh', { method: 'DELETE' });
  });

  it('refuses a host whose key changed: the engine goes offline and says why, the others go on', async () => {
    await sshd.stop();
    await sshd.replaceHostKey();
    await sshd.start();
    await waitFor(async () => {
      const engine = (await apiJson<EngineList>(helper, '/api/engines')).items.find((e) => e.name === 'over-ssh')!;
      return !engine.online && /SSH host key is not the one pinned/.test(engine.message ?? '');
    }, 30_000, 200).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await apiJson(helper, '/api/engines'))}\n${helper.output().slice(-3000)}\nsshd: ${sshd.output().slice(-2000)}`);
    });
    expect((await apiJson<ServerList>(helper, '/api/servers?status=online')).items.map((s) => s.name)).toEqual(['local', 'fronted']);
  });
});
