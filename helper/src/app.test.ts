import type { ApiError, ContainerList, Dashboard, ImageDetail, ImageList, ServerList } from '@shipshape/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeImage } from './testing/fake-engine.ts';
import { testApp } from './testing/test-app.ts';
import { until } from './testing/wait.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function withImages() {
  current = await testApp((engine) => {
    const a = engine.addImage(fakeImage('aaaa1', { tags: ['web:1', 'web:latest'], created: '2025-03-01T00:00:00Z', size: 300 }));
    engine.addImage(fakeImage('aaaa2', { tags: ['db:1'], created: '2025-02-01T00:00:00Z', size: 100 }));
    engine.addImage(fakeImage('bbbb', { tags: [], created: '2025-01-01T00:00:00Z', size: 200 }));
    engine.addContainer(a, 'web-1', 'running');
    engine.addContainer(a, 'web-2', 'exited');
  });
  return current;
}

describe('GET /api/images', () => {
  it('lists every image with container counts, newest first by default', async () => {
    const t = await withImages();
    const { status, body } = await t.json<ImageList>('/api/images');
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.name)).toEqual(['web:1', 'db:1', '<none>:<none>']);
    expect(body.items[0]).toMatchObject({ containers: { running: 1, total: 2 }, scanStatus: 'not_scanned', securityStatus: 'unknown', shortId: 'aaaa10000000' });
  });

  it('filters, sorts and pages', async () => {
    const t = await withImages();
    expect((await t.json<ImageList>('/api/images?q=WEB:')).body.items.map((i) => i.name)).toEqual(['web:1']);
    expect((await t.json<ImageList>('/api/images?q=bbbb')).body.total).toBe(1);
    expect((await t.json<ImageList>('/api/images?sort=size&order=asc')).body.items.map((i) => i.size)).toEqual([100, 200, 300]);
    const page = await t.json<ImageList>('/api/images?sort=name&order=asc&offset=1&limit=1');
    expect(page.body).toMatchObject({ total: 3, items: [{ name: 'web:1' }] });
    t.store.updateScan(`sha256:${'aaaa2'.padEnd(64, '0')}`, { scanStatus: 'scanned', securityStatus: 'at_risk', highPriority: true });
    expect((await t.json<ImageList>('/api/images?scanStatus=scanned')).body.items.map((i) => i.name)).toEqual(['db:1']);
    expect((await t.json<ImageList>('/api/images?highPriority=true')).body.total).toBe(1);
    expect((await t.json<ImageList>('/api/images?highPriority=false')).body.total).toBe(2);
  });

  it('filters by the kind of risk found (the side panel\'s header counts)', async () => {
    const t = await withImages();
    const none = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
    t.store.updateScan(`sha256:${'aaaa1'.padEnd(64, '0')}`, { scanStatus: 'scanned', securityStatus: 'at_risk', risks: { vulnerabilities: { ...none, low: 2 }, viruses: 0, trojans: 0, sensitive: 1 } });
    t.store.updateScan(`sha256:${'aaaa2'.padEnd(64, '0')}`, { scanStatus: 'scanned', securityStatus: 'at_risk', risks: { vulnerabilities: none, viruses: 1, trojans: 0, sensitive: 0 } });
    const names = async (risk: string) => (await t.json<ImageList>(`/api/images?risk=${risk}&sort=name&order=asc`)).body.items.map((i) => i.name);
    expect(await names('vulnerabilities')).toEqual(['web:1']);
    expect(await names('viruses')).toEqual(['db:1']);
    expect(await names('trojans')).toEqual([]);
    expect(await names('sensitive')).toEqual(['web:1']);
    expect((await t.json<ApiError>('/api/images?risk=worms')).body.error).toMatchObject({ code: 'bad_request', field: 'risk' });
  });

  it('answers 400 naming the field for unknown values, limit 100000, unknown parameters', async () => {
    const t = await withImages();
    for (const [query, field] of [['scanStatus=nope', 'scanStatus'], ['limit=100000', 'limit'], ['foo=1', 'foo'], ['sort=x', 'sort']]) {
      const { status, body } = await t.json<ApiError>(`/api/images?${query}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'bad_request', field });
      expect(body.error.message).toContain(field!);
    }
  });

  it('answers 503 while Docker is unreachable, and recovers', async () => {
    const t = await withImages();
    t.engine.goAway();
    await until(() => !t.inventory.status.reachable);
    const { status, body } = await t.json<ApiError>('/api/images');
    expect(status).toBe(503);
    expect(body.error.code).toBe('docker_unavailable');
    t.engine.comeBack();
    await until(() => t.inventory.status.reachable);
    expect((await t.request('/api/images')).status).toBe(200);
  });
});

describe('GET /api/images/:id', () => {
  it('resolves full IDs, sha256: IDs and unique short prefixes', async () => {
    const t = await withImages();
    const full = `sha256:${'aaaa1'.padEnd(64, '0')}`;
    for (const id of [full, full.slice(7), 'aaaa1']) {
      const { status, body } = await t.json<ImageDetail>(`/api/images/${id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: full, repoTags: ['web:1', 'web:latest'], labels: { a: 'b' }, distro: null });
      expect(body.history.filter((s) => !s.emptyLayer).map((s) => s.diffId)).toEqual(body.diffIds);
    }
  });

  it('says 409 for an ambiguous prefix, 404 for an unknown ID, 400 for a malformed one', async () => {
    const t = await withImages();
    const ambiguous = await t.json<ApiError>('/api/images/aaaa');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.message).toMatch(/ambiguous.*2 images/);
    expect((await t.json<ApiError>('/api/images/cccc')).status).toBe(404);
    const bad = await t.json<ApiError>('/api/images/not-an-id');
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
  });

  it('lists the image\'s containers with status and q filters', async () => {
    const t = await withImages();
    const all = await t.json<ContainerList>('/api/images/aaaa1/containers');
    expect(all.body.items.map((c) => c.name).sort()).toEqual(['web-1', 'web-2']);
    expect((await t.json<ContainerList>('/api/images/aaaa1/containers?status=running')).body.items.map((c) => c.name)).toEqual(['web-1']);
    expect((await t.json<ContainerList>('/api/images/aaaa1/containers?q=web-2')).body.total).toBe(1);
    expect((await t.json<ContainerList>('/api/images/aaaa2/containers')).body.total).toBe(0);
  });
});

describe('servers and dashboard', () => {
  it('describe the host and sum the risks', async () => {
    const t = await withImages();
    const servers = await t.json<ServerList>('/api/servers');
    expect(servers.body.items).toEqual([
      expect.objectContaining({ id: 'local', name: 'local', hostname: 'fakehost', dockerVersion: '99.0.0', os: 'Fake OS', online: true, imageCount: 3, containerCount: 2 }),
    ]);
    expect((await t.json<ServerList>('/api/images/aaaa1/servers')).body.items[0]!.id).toBe('local');
    t.store.updateScan(`sha256:${'aaaa2'.padEnd(64, '0')}`, {
      securityStatus: 'at_risk',
      lastScanned: '2026-01-02T00:00:00.000Z',
      risks: { vulnerabilities: { critical: 1, high: 2, medium: 0, low: 0, unknown: 0 }, viruses: 1, trojans: 0, sensitive: 3 },
    });
    const dashboard = await t.json<Dashboard>('/api/dashboard');
    expect(dashboard.body).toMatchObject({ totalImages: 3, imagesAtRisk: 1, viruses: 1, sensitive: 3, lastScanTime: '2026-01-02T00:00:00.000Z' });
    expect(dashboard.body.vulnerabilities).toMatchObject({ critical: 1, high: 2, total: 3 });
  });
});

describe('guards', () => {
  it('health needs no token; everything else does', async () => {
    const t = await withImages();
    expect((await t.request('/api/health', { headers: { authorization: '' } })).status).toBe(200);
    const missing = await t.json<ApiError>('/api/dashboard', { headers: { authorization: '' } });
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await t.request('/api/dashboard', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await t.request('/api/unknown', { headers: { authorization: '' } })).status).toBe(401);
  });

  it('refuses a foreign Host, and a web or unpaired Origin; admits the paired extension with CORS', async () => {
    const t = await withImages();
    expect((await t.request('/api/health', { headers: { host: 'rebind.example:7373' } })).status).toBe(403);
    expect((await t.request('/api/health', { headers: { host: '127.0.0.1:8080' } })).status).toBe(403);
    expect((await t.request('/api/health', { headers: { host: '[::1]:7373' } })).status).toBe(200);
    const extension = `chrome-extension://${'a'.repeat(32)}`;
    expect((await t.request('/api/dashboard', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await t.request('/api/dashboard', { headers: { origin: extension } })).status).toBe(403);
    t.pairedOrigins.push(extension);
    const allowed = await t.request('/api/dashboard', { headers: { origin: extension } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(extension);
    const preflight = await t.request('/api/dashboard', { method: 'OPTIONS', headers: { origin: extension, authorization: '' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('turns an unexpected failure into a plain 500 without a stack', async () => {
    const t = await withImages();
    t.engine.inspectContainer = async () => {
      throw new Error('boom at /secret/path.ts:12');
    };
    t.store.images()[0]!.inventory.repoTags = null as unknown as string[]; // corrupt a record in memory
    const { status, body } = await t.json<ApiError>('/api/images?q=x');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });
});

