/**
 * Honest verdicts against a real daemon and a real helper (issue 12):
 * - offline (the feed refuses): a Debian image and an image with a vulnerable npm package both
 *   end `incomplete` with the reason, never `safe`; the dashboard, the list filter, the exports
 *   and every report format say so; then a data update from a local folder turns them into
 *   verdicts (npm image `at_risk` with its GHSA findings, Debian image `safe`) with no new
 *   `docker save`;
 * - online (a local mirror of the OSV bucket): a fresh helper fetches the data by itself, and
 *   the first scan, started while it does, ends with findings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { Dashboard, DataUpdateStatus, Health, ImageList, ImageSummary, ScanTask, VulnerabilityList } from '@shipshape/shared';
import { ensureDebianImage } from '../support/debian-image.ts';
import { docker, loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, freePort, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { advisoryFixtures, readRecords, startOsvMirror, zipOf, type OsvMirror } from '../support/osv-mirror.ts';

const PREFIX = 'shipshape-test/verdicts-';
const NPM_TAG = `${PREFIX}npm:1`;
const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

let work: string;
let debian: { tag: string; id: string };
let npmImage: string;

async function scanned(helper: HelperProcess, images: string[]): Promise<ScanTask> {
  const task = await apiJson<ScanTask>(helper, '/api/scans', post({ images, categories: ['vulnerabilities'] }));
  return waitFor(async () => {
    const view = await apiJson<ScanTask>(helper, `/api/scans/${task.id}`);
    return view.done === view.total ? view : null;
  }, 240_000, 200);
}

async function dataUpdateDone(helper: HelperProcess): Promise<NonNullable<DataUpdateStatus['lastResult']>> {
  return waitFor(async () => {
    const status = await apiJson<DataUpdateStatus>(helper, '/api/data-update');
    return !status.running && status.lastResult ? status.lastResult : null;
  }, 240_000, 200);
}

const summary = (helper: HelperProcess, id: string) => apiJson<ImageSummary>(helper, `/api/images/${id}`);

/** `docker save` (image export) events of the daemon in a time window. */
async function saveEvents(since: number, until: number): Promise<unknown[]> {
  const stream = await docker.getEvents({ since: Math.floor(since / 1000), until: Math.ceil(until / 1000) + 1, filters: { type: ['image'], event: ['save'] } });
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-verdicts-'));
  await removeImages(PREFIX);
  debian = await ensureDebianImage();
  const archive = join(work, 'npm.tar');
  const built = await writeImageArchive(
    {
      tags: [NPM_TAG],
      layers: [
        {
          createdBy: 'COPY app / # verdicts test',
          files: [
            { path: '/app/package.json', content: JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.15' } }) },
            { path: '/app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) },
          ],
        },
      ],
    },
    archive,
  );
  await loadImageArchive(archive);
  npmImage = built.imageId;
}, 600_000);

afterAll(async () => {
  await removeImages(PREFIX).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('offline: no vulnerability data', () => {
  let helper: HelperProcess;
  beforeAll(async () => {
    // The feeds are a port nobody listens on: the automatic first update fails at once. Layers
    // are exported (not read in place), so the daemon's save events show the scans happened and
    // the re-match below, without one, is seen.
    const refused = `http://127.0.0.1:${await freePort()}`;
    helper = await startHelper({
      env: {
        SHIPSHAPE_DATA_REFRESH: 'daily',
        SHIPSHAPE_OSV_MIRROR: refused,
        SHIPSHAPE_NVD_MIRROR: refused,
        SHIPSHAPE_KEV_URL: `${refused}/kev.json`,
        SHIPSHAPE_EPSS_URL: `${refused}/epss.csv.gz`,
        SHIPSHAPE_LAYER_SOURCE: 'export',
      },
    });
    await waitFor(async () => (await apiJson<ImageList>(helper, `/api/images?q=${encodeURIComponent(PREFIX)}`)).total === 1, 30_000, 100);
  }, 120_000);
  afterAll(async () => {
    await helper?.stop();
  });

  it('tried the feed by itself at start, failed, and health says there is no data', async () => {
    const result = await dataUpdateDone(helper);
    expect(result).toMatchObject({ outcome: 'error', trigger: 'auto' });
    expect(result.reason).toMatch(/vulnerability data update failed: cannot reach http:\/\/127\.0\.0\.1:\d+\/\S+\/all\.zip/);
    const health = (await (await fetch(`${helper.url}/api/health`)).json()) as Health;
    expect(health.vulnerabilityData).toMatchObject({ present: false, records: 0, updating: false, autoUpdate: 'daily' });
    expect(helper.output()).toMatch(/no vulnerability data yet: fetching it now/);
    expect(helper.output()).toMatch(/automatic data update failed: .*images cannot be judged for vulnerabilities/);
  });

  it('a Debian image and an npm image with a known-vulnerable package both end incomplete with the reason, never safe', async () => {
    const started = Date.now();
    const task = await scanned(helper, [debian.id, npmImage]);
    expect(task.images.map((i) => i.status)).toEqual(['scanned', 'scanned']);
    // A scan exports the images (the daemon says so); the data update below must not.
    expect((await saveEvents(started, Date.now())).length).toBeGreaterThan(0);
    for (const image of task.images) expect(image.categories.vulnerabilities).toMatchObject({ phase: 'failed', error: expect.stringMatching(/^no vulnerability data/) });
    for (const id of [debian.id, npmImage]) {
      const image = await summary(helper, id);
      expect(image.securityStatus, image.name).toBe('incomplete');
      expect(image.notChecked).toEqual([{ category: 'vulnerabilities', reason: expect.stringMatching(/^no vulnerability data: use Update data/) }]);
    }
    const dashboard = await apiJson<Dashboard>(helper, '/api/dashboard');
    expect(dashboard).toMatchObject({ imagesIncomplete: 2, imagesAtRisk: 0 });
    const incomplete = await apiJson<ImageList>(helper, '/api/images?securityStatus=incomplete');
    expect(incomplete.items.map((i) => i.id).sort()).toEqual([debian.id, npmImage].sort());
    expect((await apiJson<ImageList>(helper, '/api/images?securityStatus=safe')).total).toBe(0);

    const csv = await (await helper.api(`/api/export?format=csv&ids=${npmImage}&columns=name,securityStatus`)).text();
    expect(csv).toMatch(/^Name,Security status,Not checked\r\nshipshape-test\/verdicts-npm:1,incomplete,"vulnerabilities: no vulnerability data: use Update data/);
    const sarif = (await (await helper.api(`/api/images/${npmImage}/report?format=sarif`)).json()) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    const bom = (await (await helper.api(`/api/images/${npmImage}/report?format=cyclonedx`)).json()) as { metadata: { properties: Array<{ name: string }> } };
    expect(bom.metadata.properties.map((p) => p.name)).toContain('shipshape:notChecked:vulnerabilities');
    const spdx = (await (await helper.api(`/api/images/${npmImage}/report?format=spdx`)).json()) as { comment: string };
    expect(spdx.comment).toMatch(/^Incomplete scan: vulnerabilities not checked/);
    const json = (await (await helper.api(`/api/images/${npmImage}/report?format=json`)).json()) as { notChecked: unknown[] };
    expect(json.notChecked).toHaveLength(1);
  });

  it('npm advisories only: the npm image gets its verdict, the Debian image stays incomplete, naming the ecosystem the data lacks', async () => {
    const answer = await helper.api('/api/data-update', post({ source: join(advisoryFixtures, 'osv-ghsa-npm-sample.jsonl.gz') }));
    expect(answer.status).toBe(202);
    expect(await dataUpdateDone(helper)).toMatchObject({ outcome: 'success', rematched: 2, changedImages: 2 });
    expect(await summary(helper, npmImage)).toMatchObject({ securityStatus: 'at_risk', notChecked: [] });
    const deb = await summary(helper, debian.id);
    expect(deb.securityStatus).toBe('incomplete');
    expect(deb.notChecked).toEqual([{ category: 'vulnerabilities', reason: expect.stringMatching(/^no vulnerability data for Debian \(\d+ packages\): those packages were not checked/) }]);
    expect(await apiJson<Dashboard>(helper, '/api/dashboard')).toMatchObject({ imagesIncomplete: 1, imagesAtRisk: 1 });
  });

  it('a data update from a local folder turns both into verdicts, re-matching without a new docker save', async () => {
    const started = Date.now();
    const answer = await helper.api('/api/data-update', post({ source: advisoryFixtures }));
    expect(answer.status).toBe(202);
    const result = await dataUpdateDone(helper);
    expect(result).toMatchObject({ outcome: 'success', trigger: 'manual', rematched: 2 });
    // The Debian image's verdict changes (its packages are judged now); the npm image's may.
    expect(result.changedImages).toBeGreaterThanOrEqual(1);
    // The folder is one source as the user named it; its files' records add up there.
    expect(result.sources).toEqual([expect.objectContaining({ name: advisoryFixtures, phase: 'updated', records: expect.any(Number) })]);
    expect(result.sources![0]!.records).toBeGreaterThan(0);
    expect(await saveEvents(started, Date.now())).toEqual([]);

    const npm = await summary(helper, npmImage);
    expect(npm).toMatchObject({ securityStatus: 'at_risk', notChecked: [] });
    const findings = await apiJson<VulnerabilityList>(helper, `/api/images/${npmImage}/vulnerabilities`);
    expect(findings.items.map((v) => v.id)).toContain('GHSA-35jh-r3h4-6jhm');
    expect(findings.items.every((v) => v.package.name === 'lodash')).toBe(true);
    // No bookworm advisory in the fixtures (they predate it): checked, and nothing found.
    expect(await summary(helper, debian.id)).toMatchObject({ securityStatus: 'safe', notChecked: [] });
    expect(await apiJson<Dashboard>(helper, '/api/dashboard')).toMatchObject({ imagesIncomplete: 0, imagesAtRisk: 1 });
    const health = (await (await fetch(`${helper.url}/api/health`)).json()) as Health;
    expect(health.vulnerabilityData).toMatchObject({ present: true, stale: false });
  });
});

describe('online: a fresh helper fetches the data by itself', () => {
  let mirror: OsvMirror;
  let helper: HelperProcess;
  beforeAll(async () => {
    mirror = await startOsvMirror();
    mirror.files.set('/npm/all.zip', { body: await zipOf(await readRecords('osv-ghsa-npm-sample.jsonl.gz')), etag: '"npm-1"' });
    mirror.files.set('/PyPI/all.zip', { body: await zipOf((await readRecords('osv-pypi-pysec.jsonl.gz')).slice(0, 200)), etag: '"pypi-1"' });
  });
  afterAll(async () => {
    await helper?.stop();
    await mirror?.close();
  });

  it('starts the update at once, and the first scan, started meanwhile, ends with findings', async () => {
    // The per-CVE feeds are not this test's subject (vulndb-severity serves them).
    helper = await startHelper({ env: { SHIPSHAPE_DATA_REFRESH: 'daily', SHIPSHAPE_OSV_MIRROR: mirror.url, SHIPSHAPE_CVE_DATA: 'none' } });
    await waitFor(async () => (await apiJson<ImageList>(helper, `/api/images?q=${encodeURIComponent(PREFIX)}`)).total === 1, 30_000, 100);
    const task = await scanned(helper, [npmImage]);
    expect(task.images[0]!.status).toBe('scanned');
    const result = await dataUpdateDone(helper);
    expect(result).toMatchObject({ outcome: 'success', trigger: 'auto' });
    // The mirror holds two ecosystems: the others fail, the user is told which, the rest is used.
    expect(result.sources!.filter((s) => s.phase === 'updated').map((s) => s.name).sort()).toEqual(['OSV PyPI', 'OSV npm']);
    expect(result.reason).toMatch(/sources failed and kept their previous data \(OSV \S+: \S+ answered 404/);
    expect(mirror.log.some((l) => l.path === '/npm/all.zip' && l.status === 200)).toBe(true);
    // Scanned before or after the data landed: either way the image has its findings now, with no second scan.
    await waitFor(async () => (await summary(helper, npmImage)).securityStatus === 'at_risk', 30_000, 200);
    const findings = await apiJson<VulnerabilityList>(helper, `/api/images/${npmImage}/vulnerabilities`);
    expect(findings.items.map((v) => v.id)).toContain('GHSA-35jh-r3h4-6jhm');
    const settings = await apiJson<{ settings: { autoUpdate: string; mirror: string }; nextUpdate: string }>(helper, '/api/settings/data-update');
    expect(settings.settings).toEqual({ autoUpdate: 'daily', mirror: mirror.url });
    expect(Date.parse(settings.nextUpdate) - Date.now()).toBeGreaterThan(23 * 3600_000);

    // Nothing changed upstream: a second update fetches nothing (conditional requests only).
    mirror.log.length = 0;
    await helper.api('/api/data-update', post({}));
    expect(await dataUpdateDone(helper)).toMatchObject({ outcome: 'success', trigger: 'manual' });
    expect(mirror.log.filter((l) => l.path === '/npm/all.zip')).toEqual([{ path: '/npm/all.zip', status: 304, bytes: 0, conditional: true }]);
  });
});
