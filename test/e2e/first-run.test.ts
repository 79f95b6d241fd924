/**
 * The first run (issue 18), in Debian's Chromium against the real helper and Docker: a new
 * user goes from nothing to a first scan led by the side panel's checklist alone. Each state
 * is reached for real: no helper on the configured port, a helper this browser is not paired
 * with, a helper whose Docker does not answer (a proxy in front of the engine, cut), no
 * vulnerability data. Each shows its line and its action works: Retry, Pair (approved with
 * `shipshape pair CODE`), Update data from the dialog (an unreachable mirror first: the
 * failure names it and says what to do; then a local folder), Quick scan.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerProxy } from '../support/docker-proxy.ts';
import { removeImages, waitFor } from '../support/docker.ts';
import { freePort, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { buildExtension, launchWithExtension, type ExtensionBrowser } from './support/browser.ts';
import { approveCode } from './support/pair.ts';
import { CLEAN_TAG, E2E_PREFIX, ensureE2eImages } from './support/risky-image.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let browser: ExtensionBrowser;
let helper: HelperProcess | undefined;
let helperPort: number;
let proxy: DockerProxy;
let panel: Page;

const step = (id: string): Locator => panel.locator(`[data-testid="setup-checklist"] [data-step="${id}"]`);
const stepState = (id: string, state: string): Locator => panel.locator(`[data-testid="setup-checklist"] [data-step="${id}"][data-state="${state}"]`);

beforeAll(async () => {
  await buildExtension();
  await ensureE2eImages();
  browser = await launchWithExtension();
  await browser.firstRun?.close();
  helperPort = await freePort();
  proxy = new DockerProxy(await freePort());
  // The helper URL is saved, nothing listens there yet and there is no token: a first run.
  await browser.serviceWorker.evaluate(
    (helperUrl) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ helperUrl, helperToken: '' }),
    `http://127.0.0.1:${helperPort}`,
  );
  panel = await browser.open('sidepanel', '', { width: 420, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await helper?.stop();
  await proxy?.down();
  await removeImages(E2E_PREFIX);
});

describe('a first run that never dead-ends, against the real helper', () => {
  it('helper stopped: says how to start it (popup and side panel), and Retry finds it once it runs', async () => {
    await stepState('helper', 'todo').waitFor({ timeout: 20_000 });
    expect(await step('helper').locator('code').textContent()).toBe('npm start');
    expect(await step('helper').textContent()).toContain('The helper is not running');
    const popup = await browser.open('popup', '', { width: 400, height: 600 });
    await popup.locator('[data-step="helper"][data-state="todo"]').waitFor({ timeout: 20_000 });
    await popup.close();

    helper = await startHelper({ port: helperPort, env: { DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`, SHIPSHAPE_CVE_DATA: 'none' } });
    await step('helper').getByRole('button', { name: 'Retry' }).click();
    await stepState('helper', 'done').waitFor({ timeout: 15_000 });
  });

  it('not paired: Pair shows a code, and approving it on this machine pairs the browser', async () => {
    await stepState('paired', 'todo').waitFor();
    expect(await step('paired').textContent()).toContain('Not paired yet');
    await step('paired').getByRole('button', { name: 'Pair' }).click();
    const code = (await panel.getByTestId('pair-code').textContent({ timeout: 15_000 }))!.trim();
    expect(await step('paired').locator('code').textContent()).toBe(`shipshape pair ${code}`);
    await approveCode(helper!, code);
    await stepState('paired', 'done').waitFor({ timeout: 15_000 });
  });

  it('Docker stopped: says to start it, and Retry goes on once it answers', async () => {
    await stepState('docker', 'todo').waitFor({ timeout: 15_000 });
    expect(await step('docker').textContent()).toContain('Docker does not answer');
    await proxy.up();
    // Docker is back once the helper says so (it reconnects with backoff); then the user's Retry.
    await waitFor(async () => (await (await fetch(`${helper!.url}/api/health`)).json() as { docker: { reachable: boolean } }).docker.reachable, 30_000, 200);
    await step('docker').getByRole('button', { name: 'Retry' }).click();
    // The panel itself opens, the checklist above its list with what is still missing.
    await panel.locator('[data-count="total"]').waitFor({ timeout: 20_000 });
    await stepState('docker', 'done').waitFor();
  });

  it('no vulnerability data: Update data… from the checklist; an unreachable mirror fails with its name and what to do; a local folder works', async () => {
    await stepState('data', 'todo').waitFor();
    expect(await step('data').textContent()).toContain('No vulnerability data');
    await step('data').getByRole('button', { name: 'Update data…' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Update vulnerability data' });

    const deadMirror = `http://127.0.0.1:${await freePort()}/osv`; // nothing listens there
    await dialog.getByRole('radio', { name: 'Mirror URL' }).check();
    await dialog.getByRole('textbox', { name: 'Mirror URL' }).fill(deadMirror);
    await dialog.getByRole('button', { name: 'OK' }).click();
    const failure = dialog.getByTestId('data-update-outcome');
    await failure.waitFor({ timeout: 60_000 });
    const failureText = (await failure.textContent())!;
    expect(failureText).toContain(`The update from the mirror ${deadMirror} failed`);
    expect(failureText).toMatch(/ECONNREFUSED|fetch failed|connect/i); // why, as the helper saw it
    // Each source on its own line, the failed ones with their reason.
    const npmLine = dialog.locator('[data-source="OSV npm"]');
    expect(await npmLine.getAttribute('data-state')).toBe('failed');
    expect(await npmLine.textContent()).toMatch(/OSV npm: failed: .*(ECONNREFUSED|fetch failed|connect)/i);
    expect(await failure.locator('li').filter({ hasText: /^OSV npm: / }).count()).toBe(1);
    expect(failureText).toContain('use a local file or folder instead');
    expect(await failure.getAttribute('role')).toBe('alert');
    await stepState('data', 'todo').waitFor(); // still missing, and still said

    await dialog.getByRole('button', { name: 'Try another source' }).click();
    await dialog.getByRole('radio', { name: 'Local file or folder' }).check();
    await dialog.getByRole('textbox', { name: 'File or folder on this machine' }).fill(join(repoRoot, 'test', 'fixtures', 'advisories'));
    await dialog.getByRole('button', { name: 'OK' }).click();
    const success = dialog.getByTestId('data-update-outcome');
    await success.and(panel.locator('.outcome.ok')).waitFor({ timeout: 120_000 });
    expect(await success.textContent()).toMatch(/Vulnerability data updated from .*advisories: [\d,]+ records/);
    const folderLine = dialog.locator(`[data-source="${join(repoRoot, 'test', 'fixtures', 'advisories')}"]`);
    expect(await folderLine.getAttribute('data-state')).toBe('done');
    expect(await folderLine.textContent()).toMatch(/updated: [\d,]+ records/);
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await stepState('data', 'done').waitFor({ timeout: 15_000 });
  });

  it('no scan yet: Quick scan from the checklist scans, and the checklist goes once everything is in place', async () => {
    await stepState('scan', 'todo').waitFor();
    await step('scan').getByRole('button', { name: 'Quick scan' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Quick scan' });
    await dialog.getByRole('radio', { name: 'Specified images' }).check();
    await dialog.getByRole('searchbox', { name: 'Find images to pick' }).fill(CLEAN_TAG);
    await dialog.getByRole('option', { name: CLEAN_TAG }).getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Start scan' }).click();
    await panel.getByTestId('setup-checklist').waitFor({ state: 'detached', timeout: 120_000 });
    const row = panel.locator('[data-image-id]').filter({ hasText: 'extension-e2e' }).filter({ has: panel.locator('[data-status="scanned"]') });
    await row.first().waitFor({ timeout: 15_000 });
  });
});
