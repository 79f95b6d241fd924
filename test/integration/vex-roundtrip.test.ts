/**
 * Ignores travel as OpenVEX: made through the API of a real helper (child process, real
 * daemon), exported with `shipshape vex export`, valid against the OpenVEX JSON schema,
 * imported with `shipshape vex import` into a helper on a fresh data dir (the same ignores),
 * and honoured by `shipshape scan --vex` in CI.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IgnoreItem, ImageDetail, ScanTask } from '@shipshape/shared';
import { removeImages, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { openVexErrors } from '../support/json-schemas.ts';
import { NPM_IMAGE_PREFIX, ensureVulnerableNpmImage } from '../support/vulnerable-npm-image.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const advisories = join(repoRoot, 'test', 'fixtures', 'advisories');
let work: string;
let ids: { a: string; b: string };
const helpers: HelperProcess[] = [];

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

async function scannedHelper(): Promise<HelperProcess> {
  const helper = await startHelper();
  helpers.push(helper);
  await apiJson(helper, '/api/data-update', { method: 'POST', body: JSON.stringify({ source: advisories }), headers: { 'content-type': 'application/json' } });
  await waitFor(async () => !(await apiJson<{ running: boolean }>(helper, '/api/data-update')).running, 120_000, 250);
  const task = await apiJson<ScanTask>(helper, '/api/scans', { method: 'POST', body: JSON.stringify({ images: [ids.a, ids.b] }), headers: { 'content-type': 'application/json' } });
  await waitFor(async () => (await apiJson<ScanTask>(helper, `/api/scans/${task.id}`)).state === 'finished', 120_000, 250);
  return helper;
}

const post = (helper: HelperProcess, body: unknown) => apiJson<IgnoreItem>(helper, '/api/ignores', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const strip = (items: IgnoreItem[]) => items.map(({ id: _id, ...rest }) => rest);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-vex-'));
  ids = { a: await ensureVulnerableNpmImage('vex-a'), b: await ensureVulnerableNpmImage('vex-b') };
});

afterAll(async () => {
  for (const helper of helpers) await helper.stop();
  await removeImages(`${NPM_IMAGE_PREFIX}:vex-`);
  await rm(work, { recursive: true, force: true });
});

describe('OpenVEX round trip', () => {
  it('exports API-made ignores as schema-valid OpenVEX, imports them on a fresh data dir, and scan --vex honours them', async () => {
    const first = await scannedHelper();
    await post(first, { target: { kind: 'vulnerability', id: 'GHSA-35jh-r3h4-6jhm', package: 'pkg:npm/lodash@4.17.15' }, image: ids.a, reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', note: 'template() is never called' });
    await post(first, { target: { kind: 'vulnerability', id: 'CVE-2023-42282', package: null }, image: null, reason: 'accepted', expiresAt: '2099-06-30', note: 'no fix upstream' });
    await post(first, { target: { kind: 'secret', ruleId: 'file-ssh-private-key', path: '/root/.ssh/id_rsa' }, image: null, reason: 'false_positive', note: 'a test key' });
    const detail = (id: string) => apiJson<ImageDetail>(first, `/api/images/${id}`);
    expect((await detail(ids.a)).risks).toMatchObject({ vulnerabilities: { critical: 0, high: 0, medium: 1 }, sensitive: 0 });
    expect((await detail(ids.b)).risks).toMatchObject({ vulnerabilities: { critical: 0, high: 1, medium: 1 }, sensitive: 0 });

    const file = join(work, 'decisions.openvex.json');
    const exported = await cli('vex', 'export', '--output', file, '--author', 'Platform team <platform@example.com>', '--port', String(first.port), '--data-dir', first.dataDir);
    expect(exported).toMatchObject({ code: 0, stderr: `wrote 3 statement(s) to ${file}\n` });
    const document = JSON.parse(await readFile(file, 'utf8')) as { author: string; statements: Array<{ status: string; products?: Array<{ '@id': string }> }> };
    expect(openVexErrors(document)).toEqual([]);
    expect(document.author).toBe('Platform team <platform@example.com>');
    expect(document.statements.map((s) => [s.status, s.products?.[0]?.['@id'] ?? null])).toEqual([
      ['not_affected', expect.stringMatching(new RegExp(`^pkg:oci/vulnerable-npm@${ids.a}\\?repository_url=shipshape-test%2Fvulnerable-npm&tag=vex-a$`))],
      ['affected', null],
      ['not_affected', 'file:///root/.ssh/id_rsa'],
    ]);

    const second = await startHelper();
    helpers.push(second);
    const imported = await cli('vex', 'import', file, '--port', String(second.port), '--data-dir', second.dataDir);
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 3 ignore(s)\n' });
    const before = (await apiJson<{ items: IgnoreItem[] }>(first, '/api/ignores')).items;
    const after = (await apiJson<{ items: IgnoreItem[] }>(second, '/api/ignores')).items;
    expect(strip(after)).toEqual(strip(before));
    expect(after.map((i) => i.setBy)).toEqual(['cli', 'cli', 'cli']); // made with plain API calls: the CLI's

    const gate = (tag: string, ...extra: string[]) => cli('scan', `${NPM_IMAGE_PREFIX}:${tag}`, '--data-dir', first.dataDir, '--quiet', '--exit-code', '3', '--severity', 'high,critical', ...extra);
    expect((await gate('vex-a')).code).toBe(3);
    expect((await gate('vex-a', '--vex', file)).code).toBe(0);
    // lodash is ignored for image a only: b still fails on it.
    const b = await gate('vex-b', '--vex', file);
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('1 finding(s) at high,critical remain, 2 ignored');
  });
});
