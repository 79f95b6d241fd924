/**
 * Debian's Chromium with the built extension loaded, driven by playwright-core. The extension
 * ID is read from its service worker's URL; popup, side panel and options pages are opened as
 * ordinary tabs (chrome-extension://<id>/sidepanel.html).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const extensionDir = join(repoRoot, 'extension');
export const extensionBuild = join(extensionDir, '.output', 'chrome-mv3');

/** `wxt build`, the same build a user loads (README: extension/.output/chrome-mv3). */
export async function buildExtension(): Promise<void> {
  await run(join(extensionDir, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: extensionDir, timeout: 240_000 });
}

export type ExtensionBrowser = {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** The settings page the extension opens by itself on install (its first-run screen). */
  firstRun: Page | null;
  open(page: 'popup' | 'sidepanel' | 'options', query?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
};

export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'shipshape-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    // Chromium's new headless mode (the default since 132) runs extensions; no display needed.
    headless: true,
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extensionBuild}`,
      `--load-extension=${extensionBuild}`,
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const isOptions = (page: Page) => page.url() === `chrome-extension://${extensionId}/options.html`;
  // A new tab starts at about:blank and only then navigates, so poll the URLs.
  let firstRun: Page | null = null;
  for (const deadline = Date.now() + 15_000; !firstRun && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    firstRun = context.pages().find(isOptions) ?? null;
  }
  await firstRun?.waitForLoadState();
  return {
    context,
    extensionId,
    serviceWorker,
    firstRun,
    async open(name, query = '', viewport = { width: 1280, height: 860 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`chrome-extension://${extensionId}/${name}.html${query}`);
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
