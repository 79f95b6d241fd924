/**
 * Risk over time and exploit alerts in the extension, against the real helper and Docker.
 * Four days of history are made for real: the helper runs on the same data dir under
 * libfaketime three, two and one day back (each run scans or updates data with different
 * results), then today without it. The side panel header and the drawer chart what the API
 * says; the popup says what the last change was; a data update that adds the CVE of an
 * existing finding to the served KEV catalog makes the service worker show a notification.
 * With SHIPSHAPE_SCREENSHOTS=<dir> (docs/screenshots), screenshots of both charts go there,
 * in the light and the dark theme.
 */
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostRiskHistory, ImageRiskHistory, ScanTask } from '@shipshape/shared';
import { KEV_AFTER, startFeedServer, type FeedServer } from '../support/cve-feeds.ts';
import { docker, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, freePort, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { buildExtension, launchWithExtension, type ExtensionBrowser } from './support/browser.ts';
import { APP_TAG, HISTORY_PREFIX, loadAppImage, loadWebImage } from './support/history-images.ts';
import { pairFromOptions } from './support/pair.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshotDir = process.env.SHIPSHAPE_SCREENSHOTS ? resolve(repoRoot, process.env.SHIPSHAPE_SCREENSHOTS) : null;
const advisories = join(repoRoot, 'test', 'fixtures', 'advisories');

/** libfaketime, which the helper runs under to live through past days (Debian package `faketime`). */
function libfaketime(): string {
  const found = readdirSync('/usr/lib').map((arch) => `/usr/lib/${arch}/faketime/libfaketime.so.1`).find((path) => existsSync(path));
  if (!found) throw new Error("libfaketime is missing: install Debian's 'faketime' package (scripts/ensure-system.sh --for-tests does)");
  return found;
}

let work: string;
let dataDir: string;
let port: number;
let feeds: FeedServer;
let helper: HelperProcess;
let browser: ExtensionBrowser;
let appId: string;

const post = (h: HelperProcess, path: string, body: unknown) => apiJson(h, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function dataUpdate(h: HelperProcess, body: object): Promise<void> {
  const before = (await apiJson<{ lastResult: { finishedAt: string } | null }>(h, '/api/data-update')).lastResult?.finishedAt ?? '';
  await post(h, '/api/data-update', body);
  const result = await waitFor(async () => {
    const status = await apiJson<{ running: boolean; lastResult: { finishedAt: string; outcome: string; reason: string | null } | null }>(h, '/api/data-update');
    return !status.running && status.lastResult && status.lastResult.finishedAt !== before ? status.lastResult : null;
  }, 240_000, 200);
  expect(result, JSON.stringify(result)).toMatchObject({ outcome: 'success' });
}

async function scan(h: HelperProcess, images: string[], categories: string[]): Promise<void> {
  const task = (await post(h, '/api/scans', { images, categories })) as ScanTask;
  const done = await waitFor(async () => {
    const view = await apiJson<ScanTask>(h, `/api/scans/${task.id}`);
    return view.state === 'finished' ? view : null;
  }, 240_000, 250);
  expect(done?.succeeded).toBe(images.length);
}

/** One past day: the helper on the shared data dir, its clock `days` back. */
async function onDay(days: number, work: (h: HelperProcess) => Promise<void>): Promise<void> {
  const past = await startHelper({
    dataDir,
    port,
    env: { ...feeds.env, LD_PRELOAD: libfaketime(), FAKETIME: `-${days}d`, FAKETIME_DONT_FAKE_MONOTONIC: '1' },
  });
  try {
    await work(past);
  } finally {
    await past.stop();
  }
}

async function screenshot(target: Page | Locator, name: string): Promise<void> {
  if (!screenshotDir) return;
  await mkdir(screenshotDir, { recursive: true });
  await target.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The rows of a chart's screen-reader table, header row first. */
const tableRows = (chart: Locator) => chart.locator('table tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));

beforeAll(async () => {
  await buildExtension();
  work = await mkdtemp(join(tmpdir(), 'shipshape-risk-e2e-'));
  dataDir = join(work, 'data');
  port = await freePort();
  feeds = await startFeedServer();
  appId = await loadAppImage();
  const dsaOnly = join(work, 'dsa');
  await mkdir(dsaOnly);
  await copyFile(join(advisories, 'debian-security-tracker', 'DSA-list.txt.gz'), join(dsaOnly, 'DSA-list.txt.gz'));

  // Three days ago: Debian's advisories only; the app image's findings have no severity yet.
  await onDay(3, async (h) => {
    await dataUpdate(h, { source: dsaOnly });
    await scan(h, [appId], ['vulnerabilities']);
  });
  // Two days ago: all advisories, then NVD/KEV/EPSS from the feeds; web v1 (a critical, a high) is scanned.
  const webV1 = await loadWebImage(1);
  await onDay(2, async (h) => {
    await dataUpdate(h, { source: advisories });
    await dataUpdate(h, {});
    await scan(h, [webV1], ['vulnerabilities', 'sensitive', 'malware']);
  });
  // Yesterday: web v2 replaces v1 (fixed); the app is scanned for everything (its key shows).
  await docker.getImage(webV1).remove({ force: true });
  const webV2 = await loadWebImage(2);
  await onDay(1, async (h) => {
    await scan(h, [appId, webV2], ['vulnerabilities', 'sensitive', 'malware']);
  });

  helper = await startHelper({ dataDir, port, env: feeds.env });
  browser = await launchWithExtension();
  // The settings page opens by itself on install; on a loaded machine it may come late: open it then.
  const options = browser.firstRun ?? (await browser.open('options'));
  await pairFromOptions(options, helper);
  await options.close();
  // The service worker follows the helper's events once paired (it sets the badge first).
  const dashboard = await apiJson<{ imagesAtRisk: number }>(helper, '/api/dashboard');
  await waitFor(async () => (await browser.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}))) === String(dashboard.imagesAtRisk || ''), 30_000, 200);
  await new Promise((r) => setTimeout(r, 1500));
}, 1_200_000);

afterAll(async () => {
  await browser?.close();
  await helper?.stop();
  await feeds?.close();
  await removeImages(HISTORY_PREFIX);
  await rm(work, { recursive: true, force: true });
});

describe('risk over time and exploit alerts', () => {
  it('today: a data update that adds the CVE of a finding to KEV shows a desktop notification from the service worker', async () => {
    await feeds.setKev(KEV_AFTER);
    await dataUpdate(helper, {});
    const notifications = () => browser.serviceWorker.evaluate(() => (globalThis as { shipshapeNotifications?: string[] }).shipshapeNotifications ?? []) as Promise<string[]>;
    await waitFor(async () => (await notifications()).includes(`kev:${appId}`), 30_000, 200);
    const shown = await browser.serviceWorker.evaluate(
      (id) => new Promise((resolve) => (globalThis as unknown as { chrome: { notifications: { getAll(cb: (all: Record<string, unknown>) => void): void } } }).chrome.notifications.getAll((all) => resolve(Object.keys(all).includes(id)))),
      `kev:${appId}`,
    );
    expect(shown).toBe(true);
  });

  it('the side panel header charts images at risk and critical findings per day, as the API has them', async () => {
    const api = await apiJson<HostRiskHistory>(helper, '/api/risk-history?days=30');
    expect(api.days).toHaveLength(4);
    expect(api.days.map((d) => [d.imagesAtRisk, d.critical, d.knownExploited])).toEqual([
      [1, 0, 0],
      [2, 1, 0],
      [1, 0, 0],
      [1, 0, 1],
    ]);
    const panel = await browser.open('sidepanel', '?tab=1', { width: 1100, height: 760 });
    const trend = panel.getByTestId('risk-trend');
    await trend.waitFor({ timeout: 20_000 });
    const atRisk = await tableRows(panel.getByTestId('risk-trend-at-risk'));
    const critical = await tableRows(panel.getByTestId('risk-trend-critical'));
    expect(atRisk.slice(1)).toEqual(api.days.map((d) => [d.day, String(d.imagesAtRisk)]));
    expect(critical.slice(1)).toEqual(api.days.map((d) => [d.day, String(d.critical)]));
    expect(await panel.getByTestId('risk-trend-critical').locator('circle').count()).toBe(4);
    await screenshot(trend, 'sidepanel-risk-trend');
    await panel.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await screenshot(trend, 'sidepanel-risk-trend-dark');
    await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));

    // The drawer of the app image: its risks over its scans.
    await panel.getByRole('searchbox', { name: 'Search images by name or ID' }).fill('risk-history:app');
    const row = panel.locator(`[role="row"][data-image-id="${appId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button').first().click();
    const chart = panel.getByTestId('risk-history-chart');
    await chart.waitFor({ timeout: 15_000 });
    const image = await apiJson<ImageRiskHistory>(helper, `/api/images/${appId}/risk-history`);
    expect(image.items.map((p) => [p.kind, p.critical, p.high, p.knownExploited, p.malware + p.sensitive])).toEqual([
      ['scan', 0, 0, 0, 0], // 3 days ago: Debian's advisories rate none of its three findings
      ['rematch', 0, 1, 0, 0], // 2 days ago: NVD rates DSA-5343-1 high
      ['scan', 0, 1, 0, 1], // yesterday: scanned for secrets too
      ['rematch', 0, 1, 1, 1], // today: CISA lists CVE-2021-45046
    ]);
    const rows = await tableRows(chart);
    expect(rows[0]).toEqual(['Scan', 'Critical', 'High', 'Known exploited', 'Malware & sensitive']);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual(image.items.map((p) => [p.critical, p.high, p.knownExploited, p.malware + p.sensitive].map(String)));
    expect(await chart.locator('svg').getAttribute('role')).toBe('img');
    await screenshot(chart, 'drawer-risk-history');
    await panel.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await screenshot(chart, 'drawer-risk-history-dark');
    await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));

    // Its findings carry the exploit tags, and the filter keeps the known-exploited one.
    const drawer = panel.getByRole('complementary', { name: 'Image details' });
    await drawer.getByRole('tab', { name: 'Vulnerabilities' }).click();
    await drawer.getByText('Known exploited (since 2023-05-01)').waitFor({ timeout: 10_000 });
    await drawer.getByLabel('Known exploited only').check();
    await waitFor(async () => (await drawer.getByTestId('finding-total').textContent()) === '1 found', 10_000, 100);
    await drawer.locator('details summary').first().click();
    await screenshot(drawer, 'drawer-known-exploited');
    await panel.close();
  });

  it('the popup says what the last change was', async () => {
    const api = await apiJson<HostRiskHistory>(helper, '/api/risk-history');
    expect(api.latest!.knownExploited - api.previous!.knownExploited).toBe(1);
    const popup = await browser.open('popup', '', { width: 380, height: 620 });
    await popup.getByTestId('risk-changes').waitFor({ timeout: 15_000 });
    expect(await popup.getByTestId('risk-changes').textContent()).toBe('Since the last scan: +1 known exploited');
    await popup.close();
  });
});
