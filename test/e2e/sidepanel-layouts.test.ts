/**
 * The side panel at side-panel widths (issue 18), in Debian's Chromium against the real helper
 * and Docker: a dozen images (three at risk, three held in `scanning` by a clamd that never
 * answers, six clean). At 360 and 480 px the document never scrolls sideways, every image's
 * status and risk chips are in view, the header counts filter the list, secondary actions
 * sit in a menu and the drawer takes the whole panel; at 1280 px ("Open in tab") the table.
 * A notification click opens the panel on that image's drawer.
 * With SHIPSHAPE_SCREENSHOTS=<dir>, screenshots at 360, 480 and 1280 px, light and dark.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { removeImages, waitFor } from '../support/docker.ts';
import { SilentClamd } from '../support/silent-clamd.ts';
import { buildExtension, launchWithExtension, type ExtensionBrowser } from './support/browser.ts';
import { DOZEN_PREFIX, ensureDozenImages, type DozenImages } from './support/dozen-images.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshotDir = process.env.SHIPSHAPE_SCREENSHOTS ? resolve(repoRoot, process.env.SHIPSHAPE_SCREENSHOTS) : null;
const HEIGHT = 820;

let helper: HelperProcess;
let browser: ExtensionBrowser;
let images: DozenImages;
const clamd = new SilentClamd();

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
type Listed = { items: Array<{ id: string; scanStatus: string; securityStatus: string }> };
const statusOf = async (ids: string[]) => {
  const listed = await apiJson<Listed>(helper, '/api/images?limit=500');
  return ids.map((id) => listed.items.find((i) => i.id === id)!);
};

/** A side panel at `width` (the page Chrome shows in the panel, opened as a tab of that size). */
async function panelAt(width: number, theme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: theme });
  await page.setViewportSize({ width, height: HEIGHT });
  await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html${width >= 900 ? '?tab=1' : ''}`);
  await page.locator('[data-image-id]').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-count="total"]').waitFor();
  return page;
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.document, 'document scrollWidth').toBeLessThanOrEqual(widths.client);
  expect(widths.body, 'body scrollWidth').toBeLessThanOrEqual(widths.client);
}

/**
 * Scrolls the compact list from top to bottom; for each image fully in view: how many status
 * badges and risk chips its row has, and whether each is drawn, whole (no clipped text) and
 * inside the row and the page.
 */
function rowsInView(page: Page): Promise<Record<string, { statuses: number; chips: number; whole: boolean }>> {
  return page.evaluate(async () => {
    const viewport = document.querySelector<HTMLElement>('.clist .viewport')!;
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const seen: Record<string, { statuses: number; chips: number; whole: boolean }> = {};
    for (let top = 0; ; top += Math.max(1, Math.floor(viewport.clientHeight / 2))) {
      viewport.scrollTop = top;
      viewport.dispatchEvent(new Event('scroll'));
      await frame();
      const box = viewport.getBoundingClientRect();
      for (const row of document.querySelectorAll<HTMLElement>('.crow[data-image-id]')) {
        const r = row.getBoundingClientRect();
        if (r.top < box.top - 1 || r.bottom > box.bottom + 1) continue; // fully in view (sub-pixel edges aside)
        const parts = [...row.querySelectorAll<HTMLElement>('[data-status], [data-chip]')];
        const whole = parts.every((el) => {
          const e = el.getBoundingClientRect();
          return el.checkVisibility() && e.width > 0 && e.left >= r.left && e.right <= r.right && e.right <= document.documentElement.clientWidth && el.scrollWidth <= el.clientWidth + 1;
        });
        seen[row.dataset.imageId!] = { statuses: row.querySelectorAll('[data-status]').length, chips: row.querySelectorAll('[data-chip]').length, whole };
      }
      if (top >= viewport.scrollHeight - viewport.clientHeight) break;
    }
    viewport.scrollTop = 0;
    viewport.dispatchEvent(new Event('scroll'));
    return seen;
  });
}

const shownIds = (page: Page) => page.locator('[data-image-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-image-id')!).sort());

beforeAll(async () => {
  await buildExtension();
  images = await ensureDozenImages();
  browser = await launchWithExtension();
  await browser.firstRun?.close();
  // This browser's extension is admitted by ID (the pairing flow has its own tests).
  helper = await startHelper({ env: { SHIPSHAPE_EXTENSION_IDS: browser.extensionId } });
  await browser.serviceWorker.evaluate(
    ([helperUrl, helperToken]) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ helperUrl, helperToken }),
    [helper.url, helper.token] as const,
  );
  await apiJson(helper, '/api/data-update', post({ source: join(repoRoot, 'test', 'fixtures', 'advisories') }));
  await waitFor(async () => !(await apiJson<{ running: boolean }>(helper, '/api/data-update')).running, 120_000, 250);
  await apiJson(helper, '/api/settings/scan', put({ concurrency: 3, imageTimeoutSeconds: 3600 }));
  // The nine quick ones first, then the three whose malware scan waits on the silent clamd.
  await apiJson(helper, '/api/scans', post({ images: [...images.risky, ...images.clean] }));
  await waitFor(async () => (await statusOf([...images.risky, ...images.clean])).every((i) => i.scanStatus === 'scanned'), 240_000, 500);
  const address = await clamd.start();
  await apiJson(helper, '/api/settings/detection', put({ secretRulesFile: null, disabledRules: [], clamd: address }));
  await apiJson(helper, '/api/scans', post({ images: images.slow }));
  await waitFor(async () => (await statusOf(images.slow)).every((i) => i.scanStatus === 'scanning'), 120_000, 250);
});

afterAll(async () => {
  if (helper) await helper.api('/api/scans/cancel', post({ images: images.slow })).catch(() => undefined);
  await clamd.close();
  await browser?.close();
  await helper?.stop();
  await removeImages(`${DOZEN_PREFIX}-`);
});

describe('the side panel at side-panel widths, against the real helper', () => {
  it('takes screenshots at 360, 480 and 1280 px, light and dark, while some images are still scanning', async () => {
    expect((await statusOf(images.risky)).map((i) => i.securityStatus)).toEqual(['at_risk', 'at_risk', 'at_risk']);
    for (const theme of ['light', 'dark'] as const) {
      for (const width of [360, 480, 1280]) {
        const page = await panelAt(width, theme);
        await page.locator('[data-image-id] [data-status="scanning"]').first().waitFor({ timeout: 10_000 });
        await noSidewaysScroll(page);
        if (screenshotDir) {
          await mkdir(screenshotDir, { recursive: true });
          await page.screenshot({ path: join(screenshotDir, `sidepanel-${width}${theme === 'dark' ? '-dark' : ''}.png`) });
        }
        await page.close();
      }
    }
  });

  for (const width of [360, 480]) {
    it(`at ${width} px: no sideways scroll, and every image shows both statuses and all five risk chips`, async () => {
      const page = await panelAt(width);
      await noSidewaysScroll(page);
      expect(await page.locator('.table').count()).toBe(0); // compact rows, not the table
      await page.getByRole('searchbox', { name: 'Search images by name or ID' }).fill('sidepanel-e2e');
      await waitFor(async () => Number(await page.getByTestId('image-total').textContent()) === 12, 15_000, 100);
      const seen = await rowsInView(page);
      for (const id of images.all) expect(seen[id], id).toEqual({ statuses: 2, chips: 5, whole: true });
      const chips = await page.locator(`[data-image-id="${images.risky[0]}"] [data-chip]`).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      expect(chips).toEqual(expect.arrayContaining(['1 viruses', '1 sensitive data items']));
      await noSidewaysScroll(page);
      await page.close();
    });

    it(`at ${width} px: the header counts filter the list`, async () => {
      const page = await panelAt(width);
      const dashboard = await apiJson<{ imagesAtRisk: number; viruses: number; totalImages: number }>(helper, '/api/dashboard');
      expect(await page.locator('[data-count="atRisk"] .count-value').textContent()).toBe(String(dashboard.imagesAtRisk));
      expect(await page.locator('[data-count="viruses"] .count-value').textContent()).toBe(String(dashboard.viruses));
      await page.locator('[data-count="viruses"]').click();
      await waitFor(async () => JSON.stringify(await shownIds(page)) === JSON.stringify([...images.risky].sort()), 15_000, 100);
      expect(await page.locator('[data-count="viruses"]').getAttribute('aria-pressed')).toBe('true');
      await page.locator('[data-count="atRisk"]').click();
      await waitFor(async () => (await page.locator('[data-image-id] [data-status="at_risk"]').count()) === images.risky.length && (await shownIds(page)).length === images.risky.length, 15_000, 100);
      await page.locator('[data-count="total"]').click();
      await waitFor(async () => Number(await page.getByTestId('image-total').textContent()) === dashboard.totalImages, 15_000, 100);
      await noSidewaysScroll(page);
      await page.close();
    });
  }

  it('at 360 px: the actions sit in a menu, the filters fold, and the drawer takes the whole panel with its tabs scrollable', async () => {
    const page = await panelAt(360);
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Update data…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Update vulnerability data' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.getByLabel('Security').selectOption('at_risk');
    await waitFor(async () => (await shownIds(page)).length === images.risky.length, 15_000, 100);
    await noSidewaysScroll(page);
    await page.locator(`[data-image-id="${images.risky[0]}"]`).click();
    const drawer = page.getByRole('complementary', { name: 'Image details' });
    await drawer.getByTestId('risk-summary').waitFor();
    const geometry = await drawer.evaluate((el) => {
      const tabs = el.querySelector<HTMLElement>('[role="tablist"]')!;
      return { width: el.getBoundingClientRect().width, page: window.innerWidth, tabsScroll: tabs.scrollWidth > tabs.clientWidth, tabsOverflow: getComputedStyle(tabs).overflowX };
    });
    expect(geometry.width).toBe(geometry.page);
    expect(geometry).toMatchObject({ tabsScroll: true, tabsOverflow: 'auto' });
    await drawer.getByRole('tab', { name: 'Containers' }).click();
    await drawer.getByRole('tab', { name: 'Containers' }).and(page.locator('[aria-selected="true"]')).waitFor();
    await noSidewaysScroll(page);
    if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'sidepanel-360-drawer.png') });
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await page.close();
  });

  it('at 1280 px ("Open in tab"): the table with the chosen columns', async () => {
    const page = await panelAt(1280);
    await page.locator('.table [role="columnheader"]').first().waitFor();
    const headers = await page.locator('.table .row.header [role="columnheader"]').allTextContents();
    expect(headers.join('|')).toContain('Security');
    expect(await page.getByRole('button', { name: 'Scheduled scan' }).isVisible()).toBe(true);
    await page.close();
  });

  it('a notification click opens the side panel on that image\'s drawer', async () => {
    const page = await panelAt(420);
    const [risky] = await statusOf([images.risky[1]!]);
    const name = (await apiJson<{ name: string }>(helper, `/api/images/${risky!.id}`)).name;
    await browser.serviceWorker.evaluate((id) => (globalThis as unknown as { shipshapeNotificationClicked(id: string): void }).shipshapeNotificationClicked(`image:${id}`), risky!.id);
    // The open panel switches to the image; when Chrome refuses sidePanel.open (no real click
    // in headless Chromium) a tab opens on it instead. Either way a page shows its drawer.
    await waitFor(async () => {
      for (const candidate of browser.context.pages().filter((p) => p.url().includes('/sidepanel.html'))) {
        const heading = candidate.getByRole('complementary', { name: 'Image details' }).getByRole('heading', { name });
        if (await heading.isVisible().catch(() => false)) return true;
      }
      return false;
    }, 20_000, 200);
    await page.close();
  });
});
