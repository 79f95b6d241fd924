/**
 * The scan engine against the real Docker Engine and the real analyzers, through a real
 * helper process: a task over several images (one with a vulnerable npm package, a secret and
 * EICAR; one clean; one whose layer data is gone from the daemon), cancel mid-stream, the
 * second scan of an unchanged image with no `docker save`, a data update bringing a new
 * advisory without re-export, licensing, CSV/XLSX export and the SSE stream.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive, type ImageFileSpec } from '@shipshape/analyzers/testing/image-archive.ts';
import { eicar } from '@shipshape/analyzers/malware/test-files.ts';
import type { DataUpdateStatus, ScanTask, ServerEvent, VulnerabilityList } from '@shipshape/shared';
import { ensureDebianImage } from '../support/debian-image.ts';
import { docker, loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { importDirsEnv, startHelper, type HelperProcess } from '../support/helper-process.ts';

const run = promisify(execFile);
const PREFIX = 'shipshape-test/scan-engine';
const RISKY = `${PREFIX}:risky`;
const CLEAN = `${PREFIX}:clean`;
const BROKEN = `${PREFIX}:broken`;
const nonce = `${process.pid}-${Date.now()}`;
// Assembled at run time so the repository holds no literal key.
const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACDxEYg2yjkz5cuVvCYw1ATrK8kG5zGyCq6VTiP3bHx3sAAAAJi2oH4ctqB+', '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
const osRelease: ImageFileSpec = { path: '/etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' };

/** An OSV advisory for a package of the risky image, added by the data update test. */
const lodashAdvisory = {
  schema_version: '1.6.0',
  id: 'SHIPSHAPE-TEST-0001',
  modified: '2026-01-01T00:00:00Z',
  published: '2026-01-01T00:00:00Z',
  summary: 'Test advisory for lodash',
  details: 'Written by the scan-engine integration test.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  references: [{ type: 'WEB', url: 'https://example.invalid/SHIPSHAPE-TEST-0001' }],
};
const unrelatedAdvisory = { ...lodashAdvisory, id: 'SHIPSHAPE-TEST-0000', summary: 'Test advisory for left-pad', affected: [{ ...lodashAdvisory.affected[0]!, package: { ecosystem: 'npm', name: 'left-pad' } }] };

let work: string;
let advisories: string;
let helper: HelperProcess;
const ids: Record<string, string> = {};

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await helper.api(path, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function waitTask(id: string, timeoutMs = 240_000): Promise<ScanTask> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const task = await api<ScanTask>(`/api/scans/${id}`);
    if (task.done === task.total) return task;
    if (Date.now() > end) throw new Error(`task ${id} did not finish: ${JSON.stringify(task)}`);
    await sleep(100);
  }
}

async function dataUpdate(): Promise<DataUpdateStatus['lastResult']> {
  const started = await helper.api('/api/data-update', json({ source: advisories }));
  expect(started.status).toBe(202);
  for (;;) {
    const status = await api<DataUpdateStatus>('/api/data-update');
    if (!status.running) return status.lastResult;
    await sleep(100);
  }
}

const diffIds: Record<string, string> = {};

async function loadImage(tag: string, files: ImageFileSpec[]): Promise<string> {
  const archive = join(work, `${tag.split(':')[1]}.tar`);
  const built = await writeImageArchive({ tags: [tag], layers: [{ files, createdBy: `COPY ${tag} / # test` }] }, archive);
  await loadImageArchive(archive);
  diffIds[tag] = built.diffIds[0]!;
  return built.imageId;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-scan-engine-'));
  advisories = join(work, 'advisories');
  await run('mkdir', ['-p', advisories]);
  await writeFile(join(advisories, 'unrelated.json'), JSON.stringify(unrelatedAdvisory));
  await removeImages(PREFIX);
  const debian = await ensureDebianImage();
  ids.debian = debian.id;
  ids.risky = await loadImage(RISKY, [
    osRelease,
    { path: '/app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) },
    { path: '/root/.ssh/id_ed25519', content: KEY, mode: 0o600 },
    { path: '/tmp/eicar.com', content: eicar() },
    { path: '/nonce', content: nonce },
  ]);
  ids.clean = await loadImage(CLEAN, [osRelease, { path: '/hello.txt', content: `hello ${nonce}` }]);
  // A "corrupt" image: its only layer's data is deleted from the daemon's storage, so Docker
  // still lists it but cannot export it.
  ids.broken = await loadImage(BROKEN, [{ path: '/data.bin', content: `broken ${nonce}` }]);
  const upper = ((await docker.getImage(BROKEN).inspect()).GraphDriver?.Data as unknown as { UpperDir?: string } | undefined)?.UpperDir;
  expect(upper).toMatch(/\/overlay2\/[0-9a-f]+\/diff$/);
  await rm(upper!, { recursive: true, force: true });

  helper = await startHelper({ env: importDirsEnv(work) });
  // The helper knows the images once its inventory has caught up.
  for (let i = 0; i < 100; i++) {
    const list = await api<{ items: Array<{ id: string }> }>(`/api/images?q=${encodeURIComponent(PREFIX)}`);
    if (list.items.length === 3) break;
    await sleep(100);
  }
  expect((await dataUpdate())?.outcome).toBe('success');
}, 900_000);

afterAll(async () => {
  await helper?.stop();
  await removeImages(PREFIX).catch(() => {});
  await rm(work, { recursive: true, force: true });
});

describe('scan engine (real daemon, real analyzers)', () => {
  it('cancel mid-stream ends the image cancelled, its walk stopped before the layers were analysed', async () => {
    const task = await api<ScanTask>('/api/scans', json({ images: [ids.debian], categories: ['vulnerabilities', 'sensitive', 'malware'] }));
    for (let i = 0; ; i++) {
      const view = await api<ScanTask>(`/api/scans/${task.id}`);
      const cat = view.images[0]!.categories.malware!;
      if (view.images[0]!.status === 'scanning' && cat.bytesDone > 0) break;
      if (view.done === view.total || i > 600) throw new Error(`never saw the scan streaming: ${JSON.stringify(view.images[0])}`);
      await sleep(50);
    }
    expect(await api('/api/scans/cancel', json({ task: task.id }))).toEqual({ cancelled: 1 });
    const done = await waitTask(task.id, 60_000);
    expect(done).toMatchObject({ state: 'cancelled', cancelled: 1, succeeded: 0 });
    // The cancel stopped the walk (no time limit asserted: the machine may be busy): the image
    // ended cancelled before its layers were all analysed, not once the scan had run to its end.
    const malware = done.images[0]!.categories.malware!;
    expect(malware).toMatchObject({ phase: 'cancelled' });
    expect(malware.layersDone).toBeLessThan(malware.layersTotal);
    expect(done.images[0]).toMatchObject({ status: 'cancelled', reason: 'cancelled by the user' });
    const image = await api<{ scanStatus: string }>(`/api/images/${ids.debian}`);
    expect(image.scanStatus).toBe('cancelled');
  });

  it('scans a task over several images with correct counts; the broken one fails with a reason', async () => {
    const task = await api<ScanTask>('/api/scans', json({ images: [ids.risky, ids.risky!.slice(7, 19), ids.clean, ids.broken] }));
    expect(task.total).toBe(3); // the same image ID given twice is scanned once
    const done = await waitTask(task.id);
    expect(done).toMatchObject({ state: 'finished', total: 3, done: 3, succeeded: 2, failed: 1, atRisk: 1, percent: 100 });
    const byId = new Map(done.images.map((i) => [i.imageId, i]));
    expect(byId.get(ids.broken!)).toMatchObject({ status: 'scan_exception' });
    expect(byId.get(ids.broken!)!.reason).toMatch(/^docker save failed: .*no such file or directory/);
    const risky = byId.get(ids.risky!)!;
    expect(risky).toMatchObject({ status: 'scanned', atRisk: true, dockerSaveSkipped: false });
    expect(risky.risks).toMatchObject({ sensitive: 1, viruses: 1, trojans: 0 });
    expect(byId.get(ids.clean!)).toMatchObject({ status: 'scanned', atRisk: false });

    const riskyImage = await api<{ scanStatus: string; securityStatus: string; risks: { sensitive: number } }>(`/api/images/${ids.risky}`);
    expect(riskyImage).toMatchObject({ scanStatus: 'scanned', securityStatus: 'at_risk' });
    expect((await api<{ securityStatus: string }>(`/api/images/${ids.clean}`)).securityStatus).toBe('safe');
    expect((await api<{ scanStatus: string }>(`/api/images/${ids.broken}`)).scanStatus).toBe('scan_exception');

    const sensitive = await api<{ items: Array<{ path: string }> }>(`/api/images/${ids.risky}/sensitive`);
    expect(sensitive.items.map((s) => s.path)).toContain('/root/.ssh/id_ed25519');
    const malware = await api<{ items: Array<{ path: string }> }>(`/api/images/${ids.risky}/malware?q=eicar`);
    expect(malware.items.map((m) => m.path)).toContain('/tmp/eicar.com');
    const packages = await api<{ items: Array<{ purl: string }> }>(`/api/images/${ids.risky}/packages?q=lodash`);
    expect(packages.items.map((p) => p.purl)).toContain('pkg:npm/lodash@4.17.15');
  });

  it('re-scans an unchanged image from the layer cache without docker save', async () => {
    const task = await api<ScanTask>('/api/scans', json({ images: [ids.risky] }));
    const done = await waitTask(task.id);
    expect(done.images[0]).toMatchObject({ status: 'scanned', dockerSaveSkipped: true, cachedLayers: 1, analyzedLayers: 0 });
    expect(done.images[0]!.risks).toEqual((await api<{ risks: unknown }>(`/api/images/${ids.risky}`)).risks);
    expect(helper.output()).toMatch(/scan shipshape-test\/scan-engine:risky \([0-9a-f]{12}\) from engine local: every layer cached, docker save skipped/);
  });

  it('a data update with a new advisory changes the findings without exporting the image again', async () => {
    const before = await api<VulnerabilityList>(`/api/images/${ids.risky}/vulnerabilities`);
    expect(before.total).toBe(0);
    const scanned = (await api<{ lastScanned: string }>(`/api/images/${ids.risky}`)).lastScanned;
    await writeFile(join(advisories, 'lodash.json'), JSON.stringify(lodashAdvisory));
    const result = await dataUpdate();
    expect(result).toMatchObject({ outcome: 'success', changedImages: 1 });
    expect(result!.rematched).toBeGreaterThanOrEqual(2);
    const after = await api<VulnerabilityList>(`/api/images/${ids.risky}/vulnerabilities?severity=critical&fixable=true`);
    expect(after.items.map((v) => [v.id, v.package.name, v.fixedVersions, v.tags.sort()])).toEqual([['SHIPSHAPE-TEST-0001', 'lodash', ['4.17.21'], ['fixable', 'suggested']]]);
    const image = await api<{ lastScanned: string; highPriority: boolean; risks: { vulnerabilities: { critical: number } } }>(`/api/images/${ids.risky}`);
    expect(image).toMatchObject({ lastScanned: scanned, highPriority: true, risks: { vulnerabilities: { critical: 1 } } });
    // No scan ran: the only tasks are the three above.
    expect((await api<{ items: unknown[] }>('/api/scans')).items).toHaveLength(3);
    const high = await api<{ items: Array<{ id: string }> }>(`/api/images?highPriority=true&q=${encodeURIComponent(PREFIX)}`);
    expect(high.items.map((i) => i.id)).toEqual([ids.risky]);
  });

  it('exports CSV and XLSX with the chosen columns', async () => {
    const query = `ids=${ids.risky},${ids.clean}&columns=name,critical,sensitive,securityStatus&sort=name&order=asc`;
    const csv = await (await helper.api(`/api/export?format=csv&${query}`)).text();
    // The security status comes with what was not checked (nothing, for both).
    expect(csv.trim().split('\r\n')).toEqual(['Name,Critical,Sensitive items,Security status,Not checked', `${CLEAN},0,0,safe,`, expect.stringMatching(new RegExp(`^${RISKY},1,[1-9]\\d*,at_risk,$`))]);
    const res = await helper.api(`/api/export?format=xlsx&${query}`);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Images')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'Critical', 'Sensitive items', 'Security status', 'Not checked']);
    expect((sheet.getRow(2).values as unknown[]).slice(0, 5)).toEqual([undefined, CLEAN, 0, 0, 'safe']);
    expect(sheet.getRow(2).getCell(5).text).toBe('');
    expect((sheet.getRow(3).values as unknown[]).slice(0, 3)).toEqual([undefined, RISKY, 1]);
    // The saved list columns are the default for an export without `columns`.
    await api('/api/settings/columns', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ columns: ['id', 'high'] }) });
    const saved = await (await helper.api(`/api/export?format=csv&ids=${ids.clean}`)).text();
    expect(saved).toBe(`Image ID,High\r\n${ids.clean},0\r\n`);
  });

  it('delivers scan progress and completion over SSE; licensing limits what is scanned', async () => {
    const controller = new AbortController();
    const res = await helper.api('/api/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: ServerEvent[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data:'));
            if (data && !block.includes('event: ready')) events.push(JSON.parse(data.slice(5)) as ServerEvent);
          }
        }
      } catch {
        // aborted by the test
      }
    })();

    await api('/api/settings/licenses', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ poolSize: 1, autoLicense: false }) });
    // Auto-licensing (on by default) gave every image a license at start: take them back first.
    const current = await api<{ licensed: string[] }>('/api/licenses');
    if (current.licensed.length) await api('/api/licenses', json({ images: current.licensed, action: 'revoke' }));
    const licensed = await api<{ rejected: unknown[]; state: { used: number } }>('/api/licenses', json({ images: [ids.clean], action: 'assign' }));
    expect(licensed.state.used).toBe(1);
    const full = await api<{ rejected: Array<{ reason: string }> }>('/api/licenses', json({ images: [ids.risky], action: 'assign' }));
    expect(full.rejected[0]!.reason).toBe('license pool is full (1)');
    const task = await api<ScanTask>('/api/scans', json({ images: [ids.clean, ids.risky], categories: ['malware'] }));
    const done = await waitTask(task.id);
    expect(done).toMatchObject({ succeeded: 1, skipped: 1 });
    expect(done.images.find((i) => i.imageId === ids.risky)).toMatchObject({ status: 'skipped', reason: 'image has no license (the license pool is limited)' });
    const log = await api<{ items: Array<{ action: string; images: string[] }> }>('/api/licenses/events');
    expect(log.items[0]).toMatchObject({ action: 'assign', images: [ids.clean] });

    await sleep(300);
    controller.abort();
    await reading;
    const mine = events.filter((e) => (e.type === 'scan.progress' && e.taskId === task.id) || (e.type === 'scan.finished' && e.task.id === task.id));
    expect(mine.some((e) => e.type === 'scan.progress' && e.image.status === 'scanning')).toBe(true);
    expect(mine.at(-1)).toMatchObject({ type: 'scan.finished', task: { id: task.id, succeeded: 1, skipped: 1 } });
    expect(events.some((e) => e.type === 'license.changed')).toBe(true);
  });

  it('forgets the cached layers of an image that leaves the host', async () => {
    const cachedDiffIds = async () => (JSON.parse(await readFile(join(helper.dataDir, 'layer-cache', 'index.json'), 'utf8')) as Array<{ diffId: string }>).map((e) => e.diffId);
    expect(await cachedDiffIds()).toContain(diffIds[CLEAN]);
    await docker.getImage(CLEAN).remove({ force: true });
    await waitFor(async () => !(await cachedDiffIds()).includes(diffIds[CLEAN]!), 10_000);
    expect(await cachedDiffIds()).toContain(diffIds[RISKY]);
  });
});
