/**
 * The Servers view end to end: Debian's Chromium with the built extension, the real helper
 * watching two real engines (the default one and a dockerd of the test's own), and a Docker
 * context made by the docker CLI. Pair, add an engine from the context in the settings page,
 * then in the side panel: both servers listed, filtered by status, searched by Docker version,
 * one engine stopped and shown offline live, then back online, without reloading the page.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ServerList } from '@shipshape/shared';
import { loadImageArchive, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';
import { PrivateDockerd } from '../support/private-dockerd.ts';
import { buildExtension, launchWithExtension, type ExtensionBrowser } from './support/browser.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshotDir = process.env.SHIPSHAPE_SCREENSHOTS ? resolve(repoRoot, process.env.SHIPSHAPE_SCREENSHOTS) : null;

let work: string;
let second: PrivateDockerd;
let helper: HelperProcess;
let browser: ExtensionBrowser;
let panel: Page;

const serverRow = (name: string) => panel.locator(`tr[data-server="${name}"]`);
const shownServers = () => panel.locator('table[aria-label="Servers"] tr[data-server]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-server')));
const same = async (expected: string[]) => JSON.stringify(await shownServers()) === JSON.stringify(expected);

beforeAll(async () => {
  await buildExtension();
  work = await mkdtemp(join(tmpdir(), 'shipshape-servers-e2e-'));
  second = new PrivateDockerd(join(work, 'second'), { namespace: `shipshape-test-servers-e2e-${process.pid}` });
  await second.start();
  const archive = join(work, 'image.tar');
  await writeImageArchive({ tags: ['shipshape-test/servers-e2e:second'], layers: [{ files: [{ path: '/second', content: `${process.pid}\n` }] }] }, archive);
  await loadImageArchive(archive, second.client);
  const dockerConfig = join(work, 'docker-config');
  await run('docker', ['context', 'create', 'second-ctx', '--description', 'the second engine again', '--docker', `host=${second.dockerHost}`], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
  helper = await startHelper({ env: { SHIPSHAPE_ENGINES: `second=${second.dockerHost}`, DOCKER_CONFIG: dockerConfig } });
  await waitFor(async () => (await apiJson<ServerList>(helper, '/api/servers?status=online')).items.length === 2, 60_000, 200);
  browser = await launchWithExtension();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await helper?.stop();
  await second?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the Servers view against the real helper and two engines', () => {
  it('pairs, then adds an engine from a Docker context in the settings page', async () => {
    const options = browser.firstRun!;
    await options.setViewportSize({ width: 1000, height: 760 });
    await options.getByLabel('Helper URL').fill(helper.url);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('button', { name: 'Pair' }).click();
    const code = (await options.getByTestId('pair-code').textContent({ timeout: 15_000 }))!.trim();
    // What `shipshape pair CODE` does, without starting a CLI process.
    await apiJson(helper, '/api/pair/approve', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    await options.getByRole('heading', { name: 'Paired' }).waitFor({ timeout: 15_000 });

    await options.getByRole('button', { name: 'Add second-ctx' }).click();
    await options.getByText('Added second-ctx.').waitFor({ timeout: 30_000 });
    const engines = options.getByRole('table', { name: 'Engines' });
    await engines.getByRole('row').filter({ hasText: 'second-ctx' }).getByText('Online').waitFor({ timeout: 15_000 });
    await options.getByText('watched as second-ctx').waitFor();
    // Removed again, from the same page: the rest of the story has two engines.
    await engines.getByRole('row').filter({ hasText: 'second-ctx' }).getByRole('button', { name: 'Remove' }).click();
    await options.getByText('Removed second-ctx.').waitFor({ timeout: 15_000 });
    expect((await apiJson<ServerList>(helper, '/api/servers')).items.map((s) => s.name)).toEqual(['local', 'second']);
    await options.close();
  });

  it('lists both servers, filters them by status and searches them by Docker version', async () => {
    panel = await browser.open('sidepanel', '?tab=1');
    await panel.getByRole('button', { name: /^Servers/ }).click();
    await waitFor(() => same(['local', 'second']), 15_000, 100);
    expect(await serverRow('second').getByText('Online').count()).toBe(1);
    expect(await serverRow('second').locator('td').nth(2).textContent()).toBe(second.dockerHost);

    await panel.getByLabel('Server status').selectOption('offline');
    await panel.getByText('No server matches.').waitFor({ timeout: 10_000 });
    await panel.getByLabel('Server status').selectOption('online');
    await waitFor(() => same(['local', 'second']), 10_000, 100);
    await panel.getByLabel('Server status').selectOption('');

    const version = (await apiJson<ServerList>(helper, '/api/servers?q=second')).items[0]!.dockerVersion!;
    const search = panel.getByRole('searchbox', { name: 'Search servers' });
    await search.fill(version);
    await waitFor(() => same(['local', 'second']), 10_000, 100);
    await search.fill('99.99.99-no-such-version');
    await panel.getByText('No server matches.').waitFor({ timeout: 10_000 });
    await search.fill('second');
    await waitFor(() => same(['second']), 10_000, 100);
    await search.fill('');
    await waitFor(() => same(['local', 'second']), 10_000, 100);

    // The image list's server filter narrows the images to the second engine's.
    await serverRow('second').getByRole('button', { name: 'Show the images on second' }).click();
    await waitFor(async () => (await panel.getByTestId('image-total').textContent()) === '1', 10_000, 100);
    expect(await panel.locator('[role="row"][data-image-id]').first().textContent()).toContain('shipshape-test/servers-e2e:second');
  });

  it('shows an engine going offline and coming back live, without reloading', async () => {
    await second.stop();
    await serverRow('second').getByText('Offline').waitFor({ timeout: 15_000 });
    await panel.getByRole('button', { name: /1 offline/ }).waitFor({ timeout: 5_000 });
    expect(await serverRow('local').getByText('Online').count()).toBe(1);
    await panel.getByLabel('Server status').selectOption('offline');
    await waitFor(() => same(['second']), 10_000, 100);
    if (screenshotDir) {
      await mkdir(screenshotDir, { recursive: true });
      await panel.screenshot({ path: join(screenshotDir, 'servers.png') });
    }
    await panel.getByLabel('Server status').selectOption('');

    await second.start();
    await serverRow('second').getByText('Online').waitFor({ timeout: 30_000 });
    expect(await panel.getByRole('button', { name: /offline/ }).count()).toBe(0);
  });
});
