/**
 * The API is not a file reader or a pipe out (issue 12), against a real helper and daemon:
 * /etc/shadow, a file of ours outside the import folders, and links to both placed inside the
 * allowed folders are refused as secret rule file, as signature files and as data-update
 * source, and no byte of them shows in any answer, report or log line. A clamd on another
 * address is refused through the API, while the same clamd given on the command line
 * (`serve --clamd`, `scan --clamd`) and a rule file given to `scan --secret-rules` still work.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { DataUpdateStatus, ImageList, MalwareList, ScanReport, ScanTask } from '@shipshape/shared';
import { loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TAG = 'shipshape-test/confinement:1';
const marker = `leak-marker-${randomBytes(8).toString('hex')}`;
// Were it read, this would load as a ClamAV body signature named after the marker, matching the image's file.
const OUTSIDE_TEXT = `Leak.${marker}:0:*:4142434445464748\n[[rules]]\nid = "${marker}"\nregex = '''x'''\n`;
const acmeToken = `acmeco_${randomBytes(16).toString('hex')}`;

let work: string;
let outside: string;
let imageId: string;
let clamd: { server: Server; host: string; port: number; streams: number };
const answers: string[] = [];

/** The pieces of the files that must never show: our marker, and every whole line of /etc/shadow. */
async function forbidden(): Promise<string[]> {
  const shadow = await readFile('/etc/shadow', 'utf8').catch(() => '');
  return [marker, ...shadow.split('\n').filter((l) => l.includes(':') && l.length >= 12)];
}

/** A clamd stand-in: answers INSTREAM with OK and counts the streams it got. */
async function fakeClamd(host: string): Promise<typeof clamd> {
  const state = { streams: 0 };
  const server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.subarray(0, 10).toString() === 'zINSTREAM\0' && buffered.subarray(-4).readUInt32BE(0) === 0) {
        state.streams++;
        socket.end('stream: OK\0');
      } else if (buffered.toString().startsWith('zPING\0')) socket.end('PONG\0');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host === '0.0.0.0' ? '0.0.0.0' : host, resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(state, { server, host, port });
}

/** An address of this machine that is not loopback (the first external IPv4), else 0.0.0.0 ("this host", also not loopback). */
function nonLoopbackHost(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '0.0.0.0';
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-confinement-'));
  outside = join(work, 'outside-secret.ndb');
  await writeFile(outside, OUTSIDE_TEXT);
  await removeImages('shipshape-test/confinement');
  const archive = join(work, 'image.tar');
  const built = await writeImageArchive(
    {
      tags: [TAG],
      layers: [
        {
          createdBy: 'COPY . / # confinement test',
          files: [
            { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
            { path: '/opt/tools/run.sh', content: '#!/bin/sh\necho ABCDEFGH\n', mode: 0o755 },
            { path: '/srv/settings.ini', content: `[api]\nauth = ${acmeToken}\n` },
          ],
        },
      ],
    },
    archive,
  );
  await loadImageArchive(archive);
  imageId = built.imageId;
  clamd = await fakeClamd(nonLoopbackHost());
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => clamd?.server.close(() => resolve()));
  await removeImages('shipshape-test/confinement').catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('through the API (a real helper)', () => {
  let helper: HelperProcess;
  const send = async (method: string, path: string, body: unknown) => {
    const res = await helper.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, text, body: JSON.parse(text) as { error?: { field?: string; message: string } } };
  };

  beforeAll(async () => {
    helper = await startHelper();
    await waitFor(async () => (await apiJson<ImageList>(helper, '/api/images?q=confinement')).total === 1, 30_000, 100);
    const imports = join(helper.dataDir, 'imports');
    await symlink('/etc/shadow', join(imports, 'shadow.toml'));
    await symlink(outside, join(imports, 'outside.toml'));
    await mkdir(join(imports, 'advisories'));
    await symlink(outside, join(imports, 'advisories', 'GHSA-leak.json'));
    await symlink('/etc/shadow', join(imports, 'advisories', 'list'));
    await mkdir(join(helper.dataDir, 'signatures'), { recursive: true });
    await symlink(outside, join(helper.dataDir, 'signatures', 'outside.ndb'));
    await symlink('/etc/shadow', join(helper.dataDir, 'signatures', 'shadow.hdb'));
  }, 120_000);
  afterAll(async () => {
    await helper?.stop();
  });

  it('refuses host files and links out of the import folders as secret rule file, naming the problem only', async () => {
    const imports = join(helper.dataDir, 'imports');
    for (const [file, problem] of [
      ['/etc/shadow', /\/etc\/shadow is outside the folders the helper may read files from/],
      [outside, /is outside the folders/],
      [join(imports, 'shadow.toml'), /shadow\.toml is a link to a place outside the folders/],
      [join(imports, 'outside.toml'), /outside\.toml is a link to a place outside the folders/],
    ] as const) {
      const res = await send('PUT', '/api/settings/detection', { secretRulesFile: file });
      expect(res.status, file).toBe(400);
      expect(res.body.error).toMatchObject({ field: 'secretRulesFile', message: expect.stringMatching(problem) });
    }
  });

  it('refuses them as data-update source; links inside an imported folder are not followed', async () => {
    for (const source of ['/etc/shadow', outside, join(helper.dataDir, 'imports', 'shadow.toml')]) {
      const res = await send('POST', '/api/data-update', { source });
      expect(res.status, source).toBe(400);
      expect(res.body.error?.field).toBe('source');
    }
    const folder = await send('POST', '/api/data-update', { source: join(helper.dataDir, 'imports', 'advisories') });
    expect(folder.status).toBe(202);
    const done = await waitFor(async () => {
      const status = await apiJson<DataUpdateStatus>(helper, '/api/data-update');
      return status.running ? null : status.lastResult;
    }, 60_000, 100);
    answers.push(JSON.stringify(done));
    expect(done).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/holds no advisory data \(ignored: 0 files, 2 links leading outside the import folders\)/) });
  });

  it('does not follow links out of <data dir>/signatures, and refuses a clamd elsewhere through the API', async () => {
    const remote = await send('PUT', '/api/settings/detection', { clamd: `${clamd.host}:${clamd.port}` });
    expect(remote.status).toBe(400);
    expect(remote.body.error).toMatchObject({ field: 'clamd', message: expect.stringMatching(/not a unix socket or a loopback address/) });

    const created = await apiJson<ScanTask>(helper, '/api/scans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ images: [imageId], categories: ['sensitive', 'malware'] }) });
    const task = await waitFor(async () => {
      const view = await apiJson<ScanTask>(helper, `/api/scans/${created.id}`);
      return view.done === view.total ? view : null;
    }, 120_000, 100);
    expect(task.images[0]!.status).toBe('scanned');
    const malware = await apiJson<MalwareList>(helper, `/api/images/${imageId}/malware`);
    expect(malware.items).toEqual([]);
    const report = await (await helper.api(`/api/images/${imageId}/report?format=json`)).text();
    answers.push(report, JSON.stringify(malware));
    const notes = (JSON.parse(report) as ScanReport).notes;
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/outside\.ndb: not a regular file inside .*signatures.*skipped/), expect.stringMatching(/shadow\.hdb: not a regular file inside/)]));
    expect(clamd.streams).toBe(0); // the refused address was never used
  });

  it('leaves no byte of the files in any answer, report or log line', async () => {
    const texts = [...answers, helper.output(), await readFile(join(helper.dataDir, 'state.json'), 'utf8')];
    for (const piece of await forbidden()) for (const text of texts) expect(text.includes(piece), piece.slice(0, 12)).toBe(false);
  });
});

describe('from the command line, the user\'s own choice', () => {
  it('serve --clamd ADDRESS: the helper streams the image files to that clamd', async () => {
    const helper = await startHelper({ env: { SHIPSHAPE_CLAMD: `${clamd.host}:${clamd.port}` } });
    try {
      await waitFor(async () => (await apiJson<ImageList>(helper, '/api/images?q=confinement')).total === 1, 30_000, 100);
      const before = clamd.streams;
      const created = await apiJson<ScanTask>(helper, '/api/scans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ images: [imageId], categories: ['malware'] }) });
      const task = await waitFor(async () => {
        const view = await apiJson<ScanTask>(helper, `/api/scans/${created.id}`);
        return view.done === view.total ? view : null;
      }, 120_000, 100);
      expect(task.images[0]).toMatchObject({ status: 'scanned', categories: { malware: { phase: 'done' } } });
      expect(clamd.streams).toBeGreaterThan(before);
    } finally {
      await helper.stop();
    }
  });

  it('scan --secret-rules FILE --clamd ADDRESS reads a rule file anywhere and asks that clamd', async () => {
    const rules = join(work, 'acme.toml');
    await writeFile(rules, `[[rules]]\nid = "acmeco-token"\nregex = '''acmeco_[0-9a-f]{32}'''\nkeywords = ["acmeco_"]\n`);
    const before = clamd.streams;
    const { stdout } = await run(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'helper/src/cli/main.ts'), 'scan', TAG, '--categories', 'sensitive,malware', '--secret-rules', rules, '--clamd', `${clamd.host}:${clamd.port}`, '--quiet', '--data-dir', join(work, 'cli-data')],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.sensitive!.map((s) => s.ruleId)).toContain('acmeco-token');
    expect(clamd.streams).toBeGreaterThan(before);
  });
});
