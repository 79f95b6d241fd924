/**
 * Data update end to end, with no internet: a local HTTP server plays the OSV bucket
 * (`<base>/<Ecosystem>/all.zip`, ETag for npm, Last-Modified only for PyPI), the CLI and
 * the library download and import, an unchanged archive is not fetched again, and a
 * corrupt archive or an unreachable mirror leaves the previous database serving.
 */
import { execFile } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { Package } from '@shipshape/shared';
import { matchReport, openVulnDb, updateVulnDb, vulnDbPath, vulnDbStatus, type VulnDb } from '@shipshape/helper/vulndb/index.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'advisories');
const run = promisify(execFile);

async function readRecords(file: string): Promise<{ id: string; text: string }[]> {
  const out: { id: string; text: string }[] = [];
  for await (const line of createInterface({ input: createReadStream(join(fixtures, file)).pipe(createGunzip()) })) {
    if (line.trim()) out.push({ id: (JSON.parse(line) as { id: string }).id, text: line });
  }
  return out;
}

function zipOf(records: { id: string; text: string }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const r of records) zip.addBuffer(Buffer.from(r.text), `${r.id}.json`);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

interface Served {
  body: Buffer;
  etag?: string;
  lastModified?: string;
}

/** The fake bucket: what it serves, and a log of every request and how it was answered. */
const served = new Map<string, Served>();
const log: { path: string; status: number; bytes: number; conditional: boolean }[] = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = decodeURIComponent(req.url ?? '');
  const item = served.get(path);
  const conditional = Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']);
  const answer = (status: number, body?: Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) });
    res.end(body);
    log.push({ path, status, bytes: body?.length ?? 0, conditional });
  };
  if (!item) return answer(404, Buffer.from('not found'));
  const validators: Record<string, string> = {
    ...(item.etag ? { etag: item.etag } : {}),
    ...(item.lastModified ? { 'last-modified': item.lastModified } : {}),
  };
  if (item.etag && req.headers['if-none-match'] === item.etag) return answer(304, undefined, validators);
  if (!item.etag && item.lastModified && req.headers['if-modified-since'] === item.lastModified) return answer(304, undefined, validators);
  answer(200, item.body, { 'content-type': 'application/zip', ...validators });
}

let server: Server;
let baseUrl: string;
let dataDir: string;
let npmRecords: { id: string; text: string }[];
let pypiRecords: { id: string; text: string }[];

beforeAll(async () => {
  npmRecords = await readRecords('osv-ghsa-npm-sample.jsonl.gz');
  pypiRecords = (await readRecords('osv-pypi-pysec.jsonl.gz')).slice(0, 300);
  served.set('/npm/all.zip', { body: await zipOf(npmRecords), etag: '"npm-v1"' });
  served.set('/PyPI/all.zip', { body: await zipOf(pypiRecords), lastModified: 'Wed, 01 May 2024 10:00:00 GMT' });
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-update-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

const lodash: Package = {
  ecosystem: 'npm',
  name: 'lodash',
  version: '4.17.15',
  sourceName: null,
  sourceVersion: null,
  purl: 'pkg:npm/lodash@4.17.15',
  paths: ['/app/node_modules/lodash/package.json'],
  layer: { diffId: 'sha256:1', createdBy: null },
};

describe('db import of a local archive (air-gapped)', () => {
  it('imports an OSV all.zip from disk with the CLI, and db status shows it', async () => {
    const offline = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-offline-'));
    try {
      const zip = join(offline, 'all.zip');
      await writeFile(zip, (served.get('/npm/all.zip') as Served).body);
      const cli = (...args: string[]) =>
        run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), 'db', ...args, '--data-dir', offline], { cwd: repoRoot });
      expect((await cli('import', zip)).stdout).toMatch(new RegExp(`imported ${npmRecords.length} records \\(0 skipped as invalid\\)`));
      const status = JSON.parse((await cli('status', '--json')).stdout) as { exists: boolean; records: number; ecosystems: Record<string, number> };
      expect(status).toMatchObject({ exists: true, records: npmRecords.length, ecosystems: { npm: npmRecords.length } });
    } finally {
      await rm(offline, { recursive: true, force: true });
    }
  });
});

describe('db update from a mirror', () => {
  it('downloads and imports each ecosystem archive (the CLI)', async () => {
    const { stdout } = await run(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      // The per-CVE feeds (NVD, KEV, EPSS) are another suite's (vulndb-severity); none here.
      [join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), 'db', 'update', '--mirror', baseUrl, '--ecosystems', 'npm,PyPI', '--cve-data', 'none', '--data-dir', dataDir],
      { cwd: repoRoot },
    );
    expect(stdout).toContain(`npm: updated, ${npmRecords.length} records`);
    expect(stdout).toContain(`PyPI: updated, ${pypiRecords.length} records`);
    const status = vulnDbStatus(dataDir);
    expect(status?.sources.map((s) => [s.source, s.records])).toEqual([
      ['osv:PyPI', pypiRecords.length],
      ['osv:npm', npmRecords.length],
    ]);
    expect(status?.sources.find((s) => s.source === 'osv:npm')?.etag).toBe('"npm-v1"');
    expect(log.filter((l) => l.status === 200).map((l) => l.path).sort()).toEqual(['/PyPI/all.zip', '/npm/all.zip']);
  });

  it('fetches nothing the second time when the archives are unchanged (ETag and Last-Modified)', async () => {
    log.length = 0;
    const inode = statSync(vulnDbPath(dataDir)).ino;
    const result = await updateVulnDb({ dataDir, baseUrl, ecosystems: ['npm', 'PyPI:3'] });
    expect(result.replaced).toBe(false);
    expect(result.ecosystems.map((e) => [e.ecosystem, e.outcome])).toEqual([
      ['npm', 'unchanged'],
      ['PyPI', 'unchanged'],
    ]);
    expect(log).toEqual([
      { path: '/npm/all.zip', status: 304, bytes: 0, conditional: true },
      { path: '/PyPI/all.zip', status: 304, bytes: 0, conditional: true },
    ]);
    expect(statSync(vulnDbPath(dataDir)).ino).toBe(inode); // no new file written
  });

  it('keeps serving the previous data when an archive is corrupt or the mirror is unreachable', async () => {
    const db = openVulnDb(dataDir) as VulnDb;
    try {
      const before = matchReport({ packages: [lodash] }, db).vulnerabilities?.map((v) => v.id);
      expect(before).toEqual(['GHSA-35jh-r3h4-6jhm']);

      const good = served.get('/npm/all.zip') as Served;
      served.set('/npm/all.zip', { body: good.body.subarray(0, Math.floor(good.body.length / 2)), etag: '"npm-broken"' });
      const result = await updateVulnDb({ dataDir, baseUrl, ecosystems: ['npm'] });
      expect(result.ecosystems[0]).toMatchObject({ ecosystem: 'npm', outcome: 'failed' });
      expect(result.ecosystems[0]?.error).toMatch(/zip|corrupt/i);
      expect(result.replaced).toBe(false);
      expect(vulnDbStatus(dataDir)?.sources.find((s) => s.source === 'osv:npm')).toMatchObject({ records: npmRecords.length, etag: '"npm-v1"' });
      expect(matchReport({ packages: [lodash] }, db).vulnerabilities?.map((v) => v.id)).toEqual(before);

      const unreachable = await updateVulnDb({ dataDir, baseUrl: 'http://127.0.0.1:9', ecosystems: ['npm'] });
      expect(unreachable.ecosystems[0]?.error).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9\/npm\/all\.zip/);
      expect(vulnDbStatus(dataDir)?.records).toBe(npmRecords.length + pypiRecords.length);

      // The CLI says so and exits non-zero.
      const cli = await run(
        join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), 'db', 'update', '--mirror', baseUrl, '--ecosystems', 'npm', '--data-dir', dataDir],
        { cwd: repoRoot },
      ).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect(cli).toMatchObject({ code: 1 });
      expect((cli as { stdout: string }).stdout).toMatch(/npm: FAILED, previous data kept/);
      served.set('/npm/all.zip', good);
    } finally {
      db.close();
    }
  });

  it('a changed archive replaces that ecosystem; an open database re-matches without re-export', async () => {
    const db = openVulnDb(dataDir) as VulnDb;
    try {
      const added = {
        id: 'GHSA-test-lodash-new',
        text: JSON.stringify({
          id: 'GHSA-test-lodash-new',
          modified: '2026-01-01T00:00:00Z',
          summary: 'A new lodash advisory',
          database_specific: { severity: 'CRITICAL' },
          affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.0.0' }, { fixed: '4.17.22' }] }] }],
        }),
      };
      served.set('/npm/all.zip', { body: await zipOf([...npmRecords, added]), etag: '"npm-v2"' });
      const progress: string[] = [];
      const result = await updateVulnDb({ dataDir, baseUrl, ecosystems: ['npm', 'PyPI'], onProgress: (e) => progress.push(`${e.phase}:${e.ecosystem}`) });
      expect(result.replaced).toBe(true);
      expect(result.ecosystems.map((e) => e.outcome)).toEqual(['updated', 'unchanged']);
      expect(progress).toContain('import:npm');
      expect(vulnDbStatus(dataDir)?.records).toBe(npmRecords.length + 1 + pypiRecords.length);
      const report = matchReport({ packages: [lodash] }, db);
      expect(report.vulnerabilities?.map((v) => [v.id, v.severity, v.fixedVersions])).toEqual([
        ['GHSA-test-lodash-new', 'critical', ['4.17.22']],
        ['GHSA-35jh-r3h4-6jhm', 'high', ['4.17.21']],
      ]);
    } finally {
      db.close();
    }
  });
});
