/**
 * Docker going away and coming back, without touching the shared dockerd: the helper talks
 * to Docker through DOCKER_HOST=tcp://127.0.0.1:<port>, a TCP proxy to the real socket that
 * the test cuts and restores. Also proves the tcp form of DOCKER_HOST works, and that a
 * helper whose Docker is missing altogether starts, answers health, and says 503.
 */
import type { Health, ImageList, ServerList } from '@shipshape/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/docker.ts';
import { DockerProxy } from '../support/docker-proxy.ts';
import { freePort, startHelper, type HelperProcess } from '../support/helper-process.ts';

let proxy: DockerProxy;
let helper: HelperProcess;

beforeAll(async () => {
  proxy = new DockerProxy(await freePort());
  await proxy.up();
  helper = await startHelper({ env: { DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}` } });
});
afterAll(async () => {
  await helper?.stop();
  await proxy?.down();
});

const health = async () => (await (await fetch(`${helper.url}/api/health`)).json()) as Health;

describe('Docker through tcp://, going away and coming back', () => {
  it('works over DOCKER_HOST=tcp://', async () => {
    expect((await health()).docker.reachable).toBe(true);
    const list = await helper.api('/api/images?limit=5');
    expect(list.status).toBe(200);
    expect(((await list.json()) as ImageList).total).toBeGreaterThan(0);
    const servers = (await (await helper.api('/api/servers')).json()) as ServerList;
    expect(servers.items[0]!.ipAddresses).toEqual(['127.0.0.1']);
  });

  it('says 503 while Docker is gone and resumes when it returns, without a restart', async () => {
    await proxy.down();
    await waitFor(async () => (await health()).docker.reachable === false, 5000);
    const during = await helper.api('/api/images');
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ error: { code: 'docker_unavailable', message: expect.stringMatching(/Docker is not reachable/) } });
    const servers = (await (await helper.api('/api/servers')).json()) as ServerList;
    expect(servers.items[0]!.online).toBe(false);
    expect((await helper.api('/api/dashboard')).status).toBe(200); // answers from state

    await proxy.up();
    await waitFor(async () => (await health()).docker.reachable === true, 10_000);
    expect((await helper.api('/api/images?limit=1')).status).toBe(200);
    expect(helper.child.exitCode).toBeNull();
  });
});

describe('no Docker at all', () => {
  it('starts, reports Docker unreachable in health, and answers 503 on Docker routes', async () => {
    const lonely = await startHelper({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    try {
      expect((await (await fetch(`${lonely.url}/api/health`)).json()) as Health).toMatchObject({ docker: { reachable: false, version: null } });
      for (const path of ['/api/images', `/api/images/${'a'.repeat(12)}`, `/api/images/${'a'.repeat(12)}/containers`]) {
        const answer = await lonely.api(path);
        expect(answer.status, path).toBe(503);
        expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('docker_unavailable');
      }
    } finally {
      await lonely.stop();
    }
  });
});
