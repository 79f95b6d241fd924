/**
 * No detected secret leaves the helper in clear (issue 12), with a real daemon and a real
 * helper: an image built with a GitHub token in `ENV`, another in a `--build-arg` a `RUN`
 * uses, a third in a `LABEL`, and a container whose command repeats the first. After a scan,
 * every GET route the helper registers (listed from the app itself, so a route added later is
 * covered), both exports, every report format, the event stream, the logs, state.json and the
 * CLI's image list: no full token anywhere; each token has one mask everywhere, and the three
 * masks differ.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageDetail, ImageList, ScanTask, SensitiveList } from '@shipshape/shared';
import { scanTestApp } from '@shipshape/helper/testing/scan-app.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { buildImage, createContainer, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TAG = 'shipshape-test/secrets-masking:1';
const CONTAINER = 'shipshape-test-secrets-masking';
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A GitHub token of the real shape, made at run time (none is written in this file). */
const githubToken = () => `ghp_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join('')}`;
const tokens = { env: githubToken(), buildArg: githubToken(), label: githubToken() };
const MASK = /ghp_\*\*\*\[[0-9a-f]{6}\]/g;

let work: string;
let helper: HelperProcess;
let imageId: string;
let events = '';
const eventsAbort = new AbortController();

/** Everything the text holds of any token: a full token, or its 36 characters after the prefix. */
function leaks(where: string, text: string): string[] {
  return Object.entries(tokens).flatMap(([name, token]) => (text.includes(token.slice(4)) ? [`${where}: the ${name} token`] : []));
}

async function xlsxText(body: ArrayBuffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
  return cells.join('\n');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-secrets-masking-'));
  await removeImages('shipshape-test/secrets-masking');
  const { tag: base } = await ensureDebianImage();
  await writeFile(
    join(work, 'Dockerfile'),
    [
      `FROM ${base}`,
      'ARG GH_BUILD_TOKEN',
      `ENV API_TOKEN=${tokens.env}`,
      `LABEL org.example.deploy-token="${tokens.label}"`,
      'RUN echo "cloning with ${GH_BUILD_TOKEN}" > /dev/null',
      '',
    ].join('\n'),
  );
  imageId = await buildImage(work, TAG, { network: 'none', buildArgs: { GH_BUILD_TOKEN: tokens.buildArg } });
  await createContainer(TAG, CONTAINER, ['sh', '-c', `echo ${tokens.env}`]);
  helper = await startHelper();
  await waitFor(async () => (await apiJson<ImageList>(helper, '/api/images?q=secrets-masking')).total === 1, 30_000, 100);
  // The event stream from before the scan to the end: every event the extension would get.
  void (async () => {
    const res = await helper.api('/api/events', { signal: eventsAbort.signal });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) events += Buffer.from(chunk).toString();
  })().catch(() => undefined);
  await waitFor(() => events.includes('event: ready'), 10_000, 50);
}, 600_000);

afterAll(async () => {
  eventsAbort.abort();
  await helper?.stop();
  await removeImages('shipshape-test/secrets-masking').catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('detected secrets stay masked everywhere', () => {
  let task: ScanTask;

  it('the image really carries the tokens (Docker shows them; the test would catch nothing otherwise)', async () => {
    const { stdout } = await run('docker', ['image', 'inspect', TAG]);
    const { stdout: history } = await run('docker', ['history', '--no-trunc', TAG]);
    expect(stdout).toContain(tokens.env);
    expect(stdout).toContain(tokens.label);
    expect(history).toContain(tokens.buildArg);
  });

  it('every GET route, export, report format, event, log line and the state hold masks only', async () => {
    const created = await apiJson<ScanTask>(helper, '/api/scans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ images: [imageId] }) });
    task = await waitFor(async () => {
      const view = await apiJson<ScanTask>(helper, `/api/scans/${created.id}`);
      return view.done === view.total ? view : null;
    }, 300_000, 200);
    expect(task.images[0]!.status).toBe('scanned');

    // Every GET route the app registers (read from the app itself), with the forms the UI uses.
    const local = await scanTestApp();
    const routes = [...new Set(local.app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
    await local.close();
    const variants: Record<string, string[]> = {
      '/api/images/:id/report': ['?format=json', '?format=sarif', '?format=cyclonedx', '?format=spdx'],
      '/api/export': ['?format=csv', '?format=xlsx', `?format=csv&ids=${imageId}&columns=${['name', 'tags', 'author', 'securityStatus', 'sensitive'].join(',')}`],
      '/api/images': ['', '?q=secrets-masking'],
    };
    const found: string[] = [];
    let requests = 0;
    for (const route of routes.filter((r) => r !== '/api/events')) {
      for (const query of variants[route] ?? ['']) {
        const path = `${route.replace(':id', imageId).replace(':task', task.id)}${query}`;
        const res = await helper.api(path);
        const body = query.includes('xlsx') ? await xlsxText(await res.arrayBuffer()) : await res.text();
        expect(res.status, path).toBeLessThan(500);
        found.push(...leaks(path, body));
        requests++;
      }
    }
    expect(routes.length).toBeGreaterThan(20);
    await waitFor(() => events.includes('event: scan.finished'), 10_000, 50);
    found.push(...leaks('events', events));
    found.push(...leaks('log', helper.output()));
    found.push(...leaks('state.json', await readFile(join(helper.dataDir, 'state.json'), 'utf8')));
    const cli = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper/src/cli/main.ts'), 'images', '--json', '--data-dir', helper.dataDir], { cwd: repoRoot });
    found.push(...leaks('shipshape images --json', cli.stdout));
    expect(found).toEqual([]);
    console.log(`masking: ${requests} GET requests over ${routes.length} routes, the event stream, logs, state.json and the CLI: no token in clear`);
  });

  it('each token has one mask, the same in the image details and in the findings, and the three masks differ', async () => {
    const detail = await apiJson<ImageDetail>(helper, `/api/images/${imageId}`);
    const envMask = detail.env.find((e) => e.startsWith('API_TOKEN='))!.slice('API_TOKEN='.length);
    const labelMask = detail.labels['org.example.deploy-token']!;
    const buildStep = detail.history.find((h) => h.createdBy.includes('GH_BUILD_TOKEN='))!.createdBy;
    const buildMask = /GH_BUILD_TOKEN=(\S+)/.exec(buildStep)![1]!;
    for (const mask of [envMask, labelMask, buildMask]) expect(mask).toMatch(/^ghp_\*\*\*\[[0-9a-f]{6}\]$/);
    expect(new Set([envMask, labelMask, buildMask]).size).toBe(3);

    const sensitive = await apiJson<SensitiveList>(helper, `/api/images/${imageId}/sensitive?limit=500`);
    const matches = new Set(sensitive.items.map((s) => s.match));
    for (const mask of [envMask, labelMask, buildMask]) expect(matches).toContain(mask);
    const containers = await apiJson<{ items: Array<{ name: string; command: string }> }>(helper, `/api/images/${imageId}/containers`);
    expect(containers.items.find((c) => c.name === CONTAINER)!.command).toContain(envMask);
    const history = await (await helper.api(`/api/images/${imageId}/history`)).text();
    expect(history.match(MASK)!.length).toBeGreaterThanOrEqual(3);
  });
});
