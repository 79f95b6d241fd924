/**
 * The helper against the real Docker Engine: its list, detail, containers, servers and
 * dashboard agree with what the Docker API says, and changes show up within 2 s without a
 * restart. Other suites load images concurrently, so comparisons are per image we created.
 */
import { writeImageArchive, type ImageArchiveSpec } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ContainerList, Dashboard, ImageDetail, ImageList, ImageSummary, ServerList } from '@shipshape/shared';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianImage } from '../support/debian-image.ts';
import { createContainer, docker, loadImageArchive, removeContainer, removeImages, waitFor } from '../support/docker.ts';
import { startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/helper-inv-';
const CONTAINER = 'shipshape-test-helper-inv-c1';
const LIVE_MS = 2000;

function spec(name: string, tags: string[], layerCount: number): ImageArchiveSpec {
  return {
    tags,
    layers: Array.from({ length: layerCount }, (_, i) => ({
      createdBy: `/bin/sh -c echo ${name} layer ${i} > /opt/${name}/${i}.txt`,
      files: [{ path: `/opt/${name}/${i}.txt`, content: `${name} layer ${i}\n`.repeat(i + 1) }],
    })),
    config: {
      Env: ['PATH=/usr/bin:/bin', `IMAGE_NAME=${name}`],
      Labels: { 'org.example.name': name },
      Cmd: ['/bin/true'],
      history: [{ created_by: `/bin/sh -c #(nop)  CMD ["/bin/true"]`, empty_layer: true }],
    },
  };
}

let dir: string;
let helper: HelperProcess;
const ids: Record<string, string> = {};

async function load(name: string, tags: string[], layers: number): Promise<string> {
  const path = join(dir, `${name}.tar`);
  const built = await writeImageArchive(spec(name, tags, layers), path);
  await loadImageArchive(path);
  return built.imageId;
}

async function list(query = '', limit = 500): Promise<ImageList> {
  const response = await helper.api(`/api/images?limit=${limit}${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ImageList;
}

async function find(id: string): Promise<ImageSummary | undefined> {
  return (await list(`&q=${id.slice(7, 19)}`)).items.find((image) => image.id === id);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-helper-inv-'));
  await removeContainer(CONTAINER);
  await removeImages(PREFIX);
  ids.a = await load('alpha', [`${PREFIX}alpha:1`, `${PREFIX}alpha:latest`], 3);
  ids.b = await load('beta', [`${PREFIX}beta:1`], 2);
  ids.debian = (await ensureDebianImage()).id;
  await createContainer(`${PREFIX}alpha:1`, CONTAINER, ['/bin/true']);
  helper = await startHelper();
});

afterAll(async () => {
  await helper?.stop();
  await removeContainer(CONTAINER);
  await removeContainer(`${CONTAINER}-2`);
  await removeImages(PREFIX);
  await rm(dir, { recursive: true, force: true });
});

describe('inventory agrees with the Docker API', () => {
  it('lists our images with the tags, size, dates and layer counts Docker reports', async () => {
    const helperList = await list();
    const dockerList = await docker.listImages();
    expect(helperList.total).toBe(helperList.items.length);
    for (const id of [ids.a!, ids.b!, ids.debian!]) {
      const mine = helperList.items.find((image) => image.id === id);
      const theirs = dockerList.find((image) => image.Id === id);
      const inspect = await docker.getImage(id).inspect();
      expect(mine, id).toBeDefined();
      expect(mine!.repoTags).toEqual([...(theirs!.RepoTags ?? [])].sort());
      expect(mine!.size).toBe(theirs!.Size);
      expect(Date.parse(mine!.created)).toBe(Math.floor(Date.parse(inspect.Created)));
      expect(mine!.layerCount).toBe(inspect.RootFS.Layers!.length);
      expect(mine!.os).toBe(inspect.Os);
      expect(mine!.architecture).toBe(inspect.Architecture);
      expect(mine!.scanStatus).toBe('not_scanned');
      expect(mine!.securityStatus).toBe('unknown');
    }
    // Every image Docker lists (taken after the helper's list) is in the helper's list,
    // except ones another suite loaded in between.
    const helperIds = new Set(helperList.items.map((image) => image.id));
    const missing = dockerList.filter((image) => !helperIds.has(image.Id) && Date.now() / 1000 - (image.Created ?? 0) > 60);
    expect(missing.filter((image) => (image.RepoTags ?? []).some((t) => t.startsWith(PREFIX)))).toEqual([]);
  });

  it('gives details with env, labels and the build history mapped to layer diffIDs', async () => {
    const response = await helper.api(`/api/images/${ids.a!.slice(7, 19)}`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as ImageDetail;
    const inspect = await docker.getImage(ids.a!).inspect();
    const history = await docker.getImage(ids.a!).history();
    expect(detail.id).toBe(ids.a);
    expect(detail.env).toContain('IMAGE_NAME=alpha');
    expect(detail.labels).toEqual({ 'org.example.name': 'alpha' });
    expect(detail.diffIds).toEqual(inspect.RootFS.Layers);
    expect(detail.history).toHaveLength(history.length);
    expect(detail.history.filter((s) => !s.emptyLayer).map((s) => s.diffId)).toEqual(inspect.RootFS.Layers);
    expect(detail.history.at(-1)).toMatchObject({ emptyLayer: true, diffId: null, createdBy: expect.stringContaining('CMD') });
    expect(detail.containers).toEqual({ running: 0, total: 1 });
  });

  it('shows the realistic Debian image with its OS and its docker-build history', async () => {
    const response = await helper.api(`/api/images/${ids.debian}`);
    const detail = (await response.json()) as ImageDetail;
    const inspect = await docker.getImage(ids.debian!).inspect();
    expect(detail.os).toBe('linux');
    expect(detail.repoTags).toContain('shipshape-test/debian:bookworm');
    const layers = inspect.RootFS.Layers!;
    expect(layers).toHaveLength(3);
    const steps = detail.history;
    expect(steps[0]).toMatchObject({ diffId: layers[0], emptyLayer: false }); // docker import of the mmdebstrap rootfs
    const run = steps.find((s) => /apt-get|useradd/.test(s.createdBy));
    const copy = steps.find((s) => s.createdBy.includes('COPY'));
    expect(run?.diffId).toBe(layers[1]);
    expect(copy?.diffId).toBe(layers[2]);
    for (const step of steps.filter((s) => /ENV|LABEL|CMD/.test(s.createdBy))) expect(step).toMatchObject({ emptyLayer: true, diffId: null });
  });

  it('lists an image\'s containers as Docker reports them, with filters', async () => {
    const response = await helper.api(`/api/images/${ids.a}/containers`);
    const body = (await response.json()) as ContainerList;
    const inspect = await docker.getContainer(CONTAINER).inspect();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ id: inspect.Id, name: CONTAINER, imageId: ids.a, state: 'created', command: '/bin/true' });
    expect(Date.parse(body.items[0]!.created)).toBe(Math.floor(Date.parse(inspect.Created) / 1000) * 1000);
    const running = (await (await helper.api(`/api/images/${ids.a}/containers?status=running`)).json()) as ContainerList;
    expect(running.total).toBe(0);
    const byName = (await (await helper.api(`/api/images/${ids.a}/containers?q=inv-c1`)).json()) as ContainerList;
    expect(byName.total).toBe(1);
  });

  it('describes the Docker host in servers, and the dashboard counts the list', async () => {
    const servers = (await (await helper.api('/api/servers')).json()) as ServerList;
    const version = await docker.version();
    expect(servers.items).toHaveLength(1);
    expect(servers.items[0]).toMatchObject({ online: true, dockerVersion: version.Version });
    expect(servers.items[0]!.ipAddresses.length).toBeGreaterThan(0);
    const forImage = (await (await helper.api(`/api/images/${ids.b}/servers`)).json()) as ServerList;
    expect(forImage.items[0]!.id).toBe(servers.items[0]!.id);
    const dashboard = (await (await helper.api('/api/dashboard')).json()) as Dashboard;
    const all = await list();
    expect(Math.abs(dashboard.totalImages - all.total)).toBeLessThanOrEqual(2); // other suites may load meanwhile
    expect(dashboard.imagesAtRisk).toBe(all.items.filter((i) => i.securityStatus === 'at_risk').length);
  });

  it('filters by tag substring, sorts and pages', async () => {
    const mine = await list(`&q=${encodeURIComponent(PREFIX)}&sort=name&order=asc`);
    expect(mine.items.map((i) => i.name)).toEqual([`${PREFIX}alpha:1`, `${PREFIX}beta:1`]);
    const page = await list(`&q=${encodeURIComponent(PREFIX)}&sort=name&order=asc&offset=1`, 1);
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.name)).toEqual([`${PREFIX}beta:1`]);
    const bySize = await list(`&q=${encodeURIComponent(PREFIX)}&sort=size&order=desc`);
    expect(bySize.items[0]!.size).toBeGreaterThanOrEqual(bySize.items[1]!.size);
    const notScanned = await list(`&scanStatus=not_scanned&q=${encodeURIComponent(PREFIX)}`);
    expect(notScanned.total).toBe(2);
    const scanned = await list(`&scanStatus=scanned&q=${encodeURIComponent(PREFIX)}`);
    expect(scanned.total).toBe(0);
  });
});

describe('live updates without a restart', () => {
  it('shows a loaded, retagged, untagged and removed image within 2 s', async () => {
    const started = Date.now();
    const gammaId = await load('gamma', [`${PREFIX}gamma:1`], 1);
    await waitFor(() => find(gammaId), LIVE_MS);
    const loadedAfter = Date.now() - started;

    await docker.getImage(gammaId).tag({ repo: `${PREFIX}gamma`, tag: 'retagged' });
    await waitFor(async () => (await find(gammaId))?.repoTags.includes(`${PREFIX}gamma:retagged`), LIVE_MS);

    await docker.getImage(`${PREFIX}gamma:1`).remove();
    await waitFor(async () => {
      const tags = (await find(gammaId))?.repoTags;
      return tags && !tags.includes(`${PREFIX}gamma:1`) && tags.includes(`${PREFIX}gamma:retagged`);
    }, LIVE_MS);

    await docker.getImage(gammaId).remove({ force: true });
    await waitFor(async () => (await find(gammaId)) === undefined, LIVE_MS);
    const detail = await helper.api(`/api/images/${gammaId}`);
    expect(detail.status).toBe(404);
    expect(loadedAfter).toBeLessThan(30_000);
  });

  it('counts a created and a removed container within 2 s', async () => {
    await createContainer(`${PREFIX}beta:1`, `${CONTAINER}-2`, ['/bin/true']);
    await waitFor(async () => (await find(ids.b!))?.containers.total === 1, LIVE_MS);
    await removeContainer(`${CONTAINER}-2`);
    await waitFor(async () => (await find(ids.b!))?.containers.total === 0, LIVE_MS);
  });
});

describe('scan history survives the image leaving Docker and the helper restarting', () => {
  it('keeps an image\'s scan state while it is gone and restores it when it returns', async () => {
    await helper.stop(); // keep nothing of the old process; a new one starts below
    const dataDir = await mkdtemp(join(tmpdir(), 'shipshape-helper-inv-data-'));
    try {
      helper = await startHelper({ dataDir });
      await waitFor(() => find(ids.b!), LIVE_MS);
      await helper.stop();
      // Mark beta as scanned, as the scan engine would.
      const statePath = join(dataDir, 'state.json');
      const state = JSON.parse(await readFile(statePath, 'utf8'));
      state.images[ids.b!].scan = { ...state.images[ids.b!].scan, scanStatus: 'scanned', securityStatus: 'safe', lastScanned: '2026-01-01T00:00:00.000Z' };
      await writeFile(statePath, JSON.stringify(state));

      helper = await startHelper({ dataDir });
      expect(await find(ids.b!)).toMatchObject({ scanStatus: 'scanned', securityStatus: 'safe' });
      await docker.getImage(ids.b!).remove({ force: true });
      await waitFor(async () => (await find(ids.b!)) === undefined, LIVE_MS);
      ids.b = await load('beta', [`${PREFIX}beta:1`], 2);
      const back = await waitFor(() => find(ids.b!), LIVE_MS);
      expect(back).toMatchObject({ scanStatus: 'scanned', securityStatus: 'safe', lastScanned: '2026-01-01T00:00:00.000Z' });
    } finally {
      await helper.stop();
      await rm(dataDir, { recursive: true, force: true });
      helper = await startHelper();
    }
  });
});
