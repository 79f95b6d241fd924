/**
 * Ignores end to end: Debian's Chromium with the built extension, the helper in this process
 * on a clock the test drives, the real Docker daemon. From the drawer: a vulnerability ignored
 * for one image and a secret for all images; counts, status, priority and the dashboard follow;
 * each tab's Ignored section says why and until when; a re-scan and a data update keep them;
 * when the expiry passes (the clock moves) the vulnerability counts again by itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, IgnoreList, ImageDetail, ScanTask, VulnerabilityList } from '@shipshape/shared';
import { parseDockerHost } from '@shipshape/helper/docker/client.ts';
import { ManualClock } from '@shipshape/helper/schedule/clock.ts';
import { startHelper, type RunningHelper } from '@shipshape/helper/server.ts';
import { removeImages, waitFor } from '../support/docker.ts';
import { freePort } from '../support/helper-process.ts';
import { NPM_IMAGE_PREFIX, ensureVulnerableNpmImage } from '../support/vulnerable-npm-image.ts';
import { buildExtension, launchWithExtension, type ExtensionBrowser } from './support/browser.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DAY = 24 * 3600_000;
const LODASH = 'GHSA-35jh-r3h4-6jhm';

let dataDir: string;
let helper: RunningHelper;
let clock: ManualClock;
let browser: ExtensionBrowser;
let panel: Page;
let ids: { a: string; b: string; keyOnly: string };
/** The day after the (driven) clock's today, UTC: the ignore counts again from then. */
let expiry: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = helper.deps.tokens as unknown as { current(): string };
  const response = await fetch(`${helper.url}${path}`, { ...init, headers: { authorization: `Bearer ${token.current()}`, 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const risks = async (id: string) => (await api<ImageDetail>(`/api/images/${id}`)).risks;
const row = (id: string) => panel.locator(`[role="row"][data-image-id="${id}"]`);
const drawer = () => panel.getByRole('complementary', { name: 'Image details' });

async function openDrawer(id: string, tab: string): Promise<void> {
  if (await drawer().isVisible()) await drawer().getByRole('button', { name: 'Close details' }).click();
  await row(id).getByRole('button').first().click();
  await drawer().getByRole('tab', { name: tab }).click();
}

async function scanAndWait(images: string[]): Promise<void> {
  const task = await api<ScanTask>('/api/scans', { method: 'POST', body: JSON.stringify({ images }) });
  await waitFor(async () => (await api<ScanTask>(`/api/scans/${task.id}`)).state === 'finished', 120_000, 250);
}

async function dataUpdate(): Promise<void> {
  await api('/api/data-update', { method: 'POST', body: JSON.stringify({ source: join(repoRoot, 'test', 'fixtures', 'advisories') }) });
  await waitFor(async () => !(await api<{ running: boolean }>('/api/data-update')).running, 120_000, 250);
}

beforeAll(async () => {
  await buildExtension();
  ids = { a: await ensureVulnerableNpmImage('e2e-a'), b: await ensureVulnerableNpmImage('e2e-b'), keyOnly: await ensureVulnerableNpmImage('e2e-key', { keyOnly: true }) };
  dataDir = await mkdtemp(join(tmpdir(), 'shipshape-ignores-e2e-'));
  clock = new ManualClock(new Date());
  expiry = new Date(clock.now().getTime() + DAY).toISOString().slice(0, 10);
  helper = await startHelper({ port: await freePort(), dataDir, docker: parseDockerHost(process.env.DOCKER_HOST), extensionIds: [] }, () => {}, { clock });
  await dataUpdate();
  await scanAndWait([ids.a, ids.b, ids.keyOnly]);
  browser = await launchWithExtension();
  await browser.firstRun?.close();
  // Paired as `shipshape pair` would leave it (the pairing flow itself is the other suite's).
  helper.deps.store.setPairedOrigin(`chrome-extension://${browser.extensionId}`);
  const token = (helper.deps.tokens as unknown as { current(): string }).current();
  await browser.serviceWorker.evaluate(([url, t]) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ helperUrl: url, helperToken: t }), [helper.url, token] as const);
  panel = await browser.open('sidepanel', '?tab=1');
  await panel.getByRole('searchbox', { name: 'Search images by name or ID' }).fill('vulnerable-npm:e2e');
  await waitFor(async () => (await panel.locator('[role="row"][data-image-id]').count()) === 3, 30_000, 100);
});

afterAll(async () => {
  await browser?.close();
  await helper?.close();
  await removeImages(`${NPM_IMAGE_PREFIX}:e2e-`);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('ignores from the drawer (Chromium, helper on a driven clock, real Docker)', () => {
  it('ignores a vulnerability for one image until tomorrow: its counts and priority drop, the other image keeps it', async () => {
    expect(await risks(ids.a)).toMatchObject({ vulnerabilities: { high: 2, medium: 1 }, sensitive: 1 });
    expect((await api<ImageDetail>(`/api/images/${ids.a}`)).highPriority).toBe(true);
    await openDrawer(ids.a, 'Vulnerabilities');
    expect(await drawer().getByTestId('finding-total').textContent()).toBe('3 found');
    const lodash = drawer().locator('details', { hasText: LODASH });
    await lodash.locator('summary').click();
    await lodash.getByRole('button', { name: 'Ignore…' }).click();
    const dialog = panel.getByRole('dialog', { name: `Ignore ${LODASH}` });
    await dialog.getByLabel('Justification').selectOption('vulnerable_code_not_in_execute_path');
    await dialog.getByLabel('Note').fill('template() is never called');
    await dialog.getByLabel('Counts again on').fill(expiry);
    await dialog.getByRole('button', { name: 'Ignore', exact: true }).click();
    await drawer().getByTestId('finding-total').getByText('2 found').waitFor({ timeout: 10_000 });
    const ignored = drawer().getByRole('region', { name: 'Ignored' });
    expect(await ignored.getByText(LODASH).count()).toBe(1);
    expect(await ignored.getByTestId('ignore-why').textContent()).toBe('Not affected: the vulnerable code is never run (template() is never called)');
    expect(await ignored.getByTestId('ignore-until').textContent()).toBe(`counts again on ${expiry}`);

    expect(await risks(ids.a)).toMatchObject({ vulnerabilities: { high: 1, medium: 1 }, sensitive: 1 });
    // 8 (critical key) + 0: the fixable high no longer counts, so no longer high priority.
    expect((await api<ImageDetail>(`/api/images/${ids.a}`)).highPriority).toBe(false);
    expect(await risks(ids.b)).toMatchObject({ vulnerabilities: { high: 2 } });
    await drawer().getByRole('tab', { name: 'Summary' }).click();
    expect(await drawer().getByTestId('risk-summary').locator('[data-risk="high"]').textContent()).toBe('1');
    const [rule] = (await api<IgnoreList>(`/api/ignores?image=${ids.a}`)).items;
    expect(rule).toMatchObject({ image: ids.a, setBy: 'browser', reason: 'not_affected', expiresAt: expiry, target: { kind: 'vulnerability', id: LODASH, package: 'pkg:npm/lodash@4.17.15' } });
  });

  it('ignores a secret for all images: every image loses it, the key-only image turns safe, the dashboard and popup follow', async () => {
    const before = await api<Dashboard>('/api/dashboard');
    await openDrawer(ids.a, 'Sensitive data');
    const key = drawer().locator('details', { hasText: '/root/.ssh/id_rsa' });
    await key.locator('summary').click();
    await key.getByRole('button', { name: 'Ignore…' }).click();
    const dialog = panel.getByRole('dialog', { name: /^Ignore .* at \/root\/\.ssh\/id_rsa$/ });
    await dialog.getByLabel('All images').check();
    await dialog.getByLabel('Reason').selectOption('false_positive');
    await dialog.getByLabel('Note').fill('a throwaway test key');
    await dialog.getByRole('button', { name: 'Ignore', exact: true }).click();
    await drawer().getByRole('region', { name: 'Ignored' }).getByText('until removed').waitFor({ timeout: 10_000 });
    expect(await drawer().getByRole('region', { name: 'Ignored' }).textContent()).toContain('all images · set by the browser');

    for (const id of [ids.a, ids.b, ids.keyOnly]) expect((await risks(id)).sensitive).toBe(0);
    await row(ids.keyOnly).locator('[data-status="safe"]').waitFor({ timeout: 15_000 });
    const after = await api<Dashboard>('/api/dashboard');
    expect(after.sensitive).toBe(before.sensitive - 3);
    expect(after.imagesAtRisk).toBe(before.imagesAtRisk - 1);
    // Another image shows the same decision in its own Ignored section.
    await openDrawer(ids.b, 'Sensitive data');
    await drawer().getByRole('region', { name: 'Ignored' }).getByText('/root/.ssh/id_rsa').waitFor({ timeout: 10_000 });
    const popup = await browser.open('popup', '', { width: 380, height: 620 });
    await popup.getByTestId('at-risk').waitFor({ timeout: 15_000 });
    expect((await popup.getByTestId('at-risk').textContent())?.replace(/\s+/g, ' ')).toBe(`${after.imagesAtRisk} of ${after.totalImages} images at risk`);
    expect(await popup.locator('[data-risk="sensitive"]').textContent()).toBe(String(after.sensitive));
    await popup.close();
  });

  it('keeps both ignores through a re-scan and a data update', async () => {
    await openDrawer(ids.a, 'Summary');
    await drawer().getByRole('button', { name: 'Scan again' }).click();
    await row(ids.a).locator('[data-status="scanned"]').waitFor({ timeout: 120_000 });
    await waitFor(async () => !(await api<{ items: ScanTask[] }>('/api/scans')).items.some((t) => t.state !== 'finished'), 120_000, 250);
    await dataUpdate();
    expect(await risks(ids.a)).toMatchObject({ vulnerabilities: { high: 1, medium: 1 }, sensitive: 0 });
    expect((await api<ImageDetail>(`/api/images/${ids.keyOnly}`)).securityStatus).toBe('safe');
    await openDrawer(ids.a, 'Vulnerabilities');
    await drawer().getByRole('region', { name: 'Ignored' }).getByText(LODASH).waitFor({ timeout: 10_000 });
    expect(await drawer().getByTestId('finding-total').textContent()).toBe('2 found');
  });

  it('brings the vulnerability back by itself when its expiry passes on the clock', async () => {
    clock.advance(2 * DAY);
    await waitFor(async () => (await risks(ids.a)).vulnerabilities.high === 2, 15_000, 100);
    expect((await api<ImageDetail>(`/api/images/${ids.a}`)).highPriority).toBe(false); // the key is still ignored: 4 points
    expect((await api<IgnoreList>('/api/ignores?expired=true')).items.map((i) => i.expiresAt)).toEqual([expiry]);
    const list = await api<VulnerabilityList>(`/api/images/${ids.a}/vulnerabilities`);
    expect([list.total, list.ignored.length]).toEqual([3, 0]);
    // The drawer follows the helper's image.changed event without a click.
    await drawer().getByTestId('finding-total').getByText('3 found').waitFor({ timeout: 15_000 });
    expect(await drawer().getByRole('region', { name: 'Ignored' }).count()).toBe(0);
    // The secret ignore has no expiry and stays.
    expect((await risks(ids.a)).sensitive).toBe(0);
  });
});
