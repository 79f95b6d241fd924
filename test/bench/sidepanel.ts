/**
 * Benchmark (issue 14, part 4): how soon the side panel shows the first rows of a 1,000-image
 * list, in Debian's Chromium. The helper is a fake (test/bench/sidepanel-fake-helper.ts: a
 * loopback HTTP server answering with 1,000 synthetic images valid against the shared
 * schemas), so the figure is the extension's alone.
 *
 * The baseline is measured in the same run: the extension as it was at BASELINE_REF (the side
 * panel before first-page-first loading) is built from git into a temporary folder and loaded
 * beside the current build; runs alternate between the two. Per run, in a fresh tab at a side
 * panel's size: navigation → first row painted; the first /api/images answer received → first
 * row painted ("after the data is there", target < 150 ms); all pages received; and Chromium's
 * layout and style-recalculation counts until the list has settled. "Painted" is the first
 * row's Element Timing renderTime (when its text reached the screen). Medians are printed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildExtension, extensionBuild, extensionDir } from '../e2e/support/browser.ts';
import { startFakeHelper, type FakeHelper } from './sidepanel-fake-helper.ts';

const run = promisify(execFile);
const repoRoot = join(extensionDir, '..');
/** The last commit before the side panel loaded its first page first (override: SHIPSHAPE_BENCH_SIDEPANEL_BASELINE). */
const BASELINE_REF = process.env.SHIPSHAPE_BENCH_SIDEPANEL_BASELINE ?? '79cef696ff6fb5e5b9a6afb615e03e6b247b228b';
const IMAGES = 1000;
const RUNS = Number(process.env.SHIPSHAPE_BENCH_RUNS ?? 7);
const VIEWPORT = { width: 420, height: 900 };

type Variant = { label: string; dir: string; id: string };
type Sample = { navToRows: number; dataToRows: number; dataToDom: number; allData: number; layouts: number; recalcs: number; rowsInDom: number; elementTiming: boolean };

/** Chrome's ID of an unpacked extension: the SHA-256 of its path, first 32 hex digits written a–p. */
function unpackedExtensionId(path: string): string {
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** `wxt build` of the extension folder as it was at `ref`, with the current node_modules. */
async function buildBaseline(ref: string, work: string): Promise<string | null> {
  const known = await run('git', ['cat-file', '-e', `${ref}^{commit}`], { cwd: repoRoot }).then(() => true, () => false);
  if (!known) return null;
  await run('bash', ['-c', `git archive --format=tar ${ref} extension | tar -x -C ${JSON.stringify(work)}`], { cwd: repoRoot });
  const dir = join(work, 'extension');
  await symlink(join(extensionDir, 'node_modules'), join(dir, 'node_modules'));
  await run(join(extensionDir, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: dir, timeout: 240_000 });
  return join(dir, '.output', 'chrome-mv3');
}

/**
 * Installed before the page's own scripts. When the first row enters the DOM (a mutation
 * observer, before any paint), its elements are given an `elementtiming` name, so Chromium's
 * Element Timing reports when that row's text was actually painted (`renderTime`, the frame's
 * presentation time): the moment the user sees a row. Where no entry comes (no Element Timing),
 * the fallback is a task queued after the next animation frame, i.e. after that frame's paint.
 */
const probe = () => {
  const marks: Record<string, number> = {};
  (window as unknown as { benchMarks: Record<string, number> }).benchMarks = marks;
  if (PerformanceObserver.supportedEntryTypes.includes('element')) {
    new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries() as Array<PerformanceEntry & { identifier: string; renderTime: number; loadTime: number }>) {
        if (entry.identifier !== 'bench-first-row') continue;
        marks.rowPainted = Math.min(marks.rowPainted ?? Infinity, entry.renderTime || entry.loadTime);
      }
    }).observe({ type: 'element', buffered: true });
  }
  const seen = new MutationObserver(() => {
    const row = document.querySelector('[data-image-id]');
    if (!row) return;
    seen.disconnect();
    marks.rowsInDom = performance.now();
    for (const element of [row, ...row.querySelectorAll('*')]) element.setAttribute('elementtiming', 'bench-first-row');
    requestAnimationFrame(() => setTimeout(() => (marks.afterFrame = performance.now()), 0));
  });
  seen.observe(document, { subtree: true, childList: true });
};

async function measure(context: BrowserContext, variant: Variant, helper: FakeHelper): Promise<Sample> {
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.addInitScript(probe);
  const before = helper.requests.length;
  await page.goto(`chrome-extension://${variant.id}/sidepanel.html`);
  await page.waitForFunction(() => (window as unknown as { benchMarks: { afterFrame?: number } }).benchMarks?.afterFrame !== undefined, null, { timeout: 30_000 });
  // Settled: every page of the list answered, and a moment for the last render.
  const pages = Math.ceil(IMAGES / 500);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(50)) {
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/images')).length);
    if (fetched >= pages) break;
  }
  await page.waitForTimeout(300);
  const timing = await page.evaluate(() => {
    const marks = (window as unknown as { benchMarks: Record<string, number> }).benchMarks;
    const lists = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/images')) as PerformanceResourceTiming[];
    const ends = lists.map((e) => e.responseEnd).sort((a, b) => a - b);
    // Painted (Element Timing) when Chromium reported it, else the task after the row's frame.
    const rowsDrawn = marks.rowPainted ?? marks.afterFrame!;
    return { rowsDrawn, rowsInDom: marks.rowsInDom!, elementTiming: marks.rowPainted !== undefined, firstData: ends[0]!, lastData: ends[ends.length - 1]!, rowCount: document.querySelectorAll('[data-image-id]').length };
  });
  const metrics = Object.fromEntries(((await cdp.send('Performance.getMetrics')).metrics as Array<{ name: string; value: number }>).map((m) => [m.name, m.value]));
  const listCalls = helper.requests.slice(before).filter((r) => r.includes('/api/images'));
  if (listCalls.length === 0) throw new Error(`${variant.label}: the side panel never asked for the image list`);
  await page.close();
  return {
    navToRows: timing.rowsDrawn,
    dataToRows: timing.rowsDrawn - timing.firstData,
    dataToDom: timing.rowsInDom - timing.firstData,
    allData: timing.lastData,
    layouts: metrics.LayoutCount ?? NaN,
    recalcs: metrics.RecalcStyleCount ?? NaN,
    rowsInDom: timing.rowCount,
    elementTiming: timing.elementTiming,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchSidepanel(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-bench-sidepanel-'));
  const helper = await startFakeHelper(IMAGES);
  let context: BrowserContext | null = null;
  try {
    await buildExtension();
    const baselineBuild = await buildBaseline(BASELINE_REF, work);
    const builds = [await realpath(extensionBuild), ...(baselineBuild ? [await realpath(baselineBuild)] : [])];
    const variants: Variant[] = [
      ...(baselineBuild ? [{ label: `baseline ${BASELINE_REF.slice(0, 7)}`, dir: builds[1]!, id: unpackedExtensionId(builds[1]!) }] : []),
      { label: 'current', dir: builds[0]!, id: unpackedExtensionId(builds[0]!) },
    ];
    if (!baselineBuild) console.log(`(baseline ${BASELINE_REF} is not in this clone: current build only)`);

    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--disable-extensions-except=${builds.join(',')}`, `--load-extension=${builds.join(',')}`],
    });
    // Pair each extension with the fake helper through its own storage.
    for (const variant of variants) {
      const url = `chrome-extension://${variant.id}/`;
      let worker = context.serviceWorkers().find((w) => w.url().startsWith(url));
      for (const deadline = Date.now() + 30_000; !worker && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        worker = context.serviceWorkers().find((w) => w.url().startsWith(url));
      }
      if (!worker) throw new Error(`${variant.label}: no service worker for extension ${variant.id}`);
      await worker.evaluate(([helperUrl, helperToken]) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ helperUrl, helperToken }), [helper.url, helper.token] as const);
    }
    for (const page of context.pages()) await page.close();

    const samples = new Map<string, Sample[]>(variants.map((v) => [v.label, []]));
    const loadBefore = loadavg()[0]!;
    for (const variant of variants) await measure(context, variant, helper); // warm-up: caches, compiled code
    for (let i = 0; i < RUNS; i++) for (const variant of variants) samples.get(variant.label)!.push(await measure(context, variant, helper));

    console.log(`\nside panel, ${IMAGES.toLocaleString('en')} images (fake helper on loopback), Chromium ${VIEWPORT.width}×${VIEWPORT.height}, median of ${RUNS} runs; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores`);
    console.log('data→rows: from the end of the first /api/images answer to the first row painted (Element Timing renderTime; else the task after its frame)');
    console.log('data→DOM: to the first row in the DOM (script: parse, check, render); the rest of data→rows is style, layout, paint and the frame');
    console.log('variant            nav→rows ms  data→rows ms (min–max)  data→DOM ms  all data ms  layouts  style recalcs  rows in DOM  painted by');
    const rows = variants.map((variant) => {
      const s = samples.get(variant.label)!;
      const m = { navToRows: median(s.map((x) => x.navToRows)), dataToRows: median(s.map((x) => x.dataToRows)), dataToDom: median(s.map((x) => x.dataToDom)), allData: median(s.map((x) => x.allData)), layouts: median(s.map((x) => x.layouts)), recalcs: median(s.map((x) => x.recalcs)), rowsInDom: median(s.map((x) => x.rowsInDom)) };
      console.log(
        `${variant.label.padEnd(18)} ${m.navToRows.toFixed(0).padStart(11)}  ${`${m.dataToRows.toFixed(0)} (${Math.min(...s.map((x) => x.dataToRows)).toFixed(0)}–${Math.max(...s.map((x) => x.dataToRows)).toFixed(0)})`.padStart(22)}  ${m.dataToDom.toFixed(0).padStart(11)}  ${m.allData.toFixed(0).padStart(11)}  ${String(m.layouts).padStart(7)}  ${String(m.recalcs).padStart(13)}  ${String(m.rowsInDom).padStart(11)}  ${s.filter((x) => x.elementTiming).length}/${s.length} element timing`,
      );
      return m;
    });
    if (rows.length === 2) {
      const [base, now] = rows as [(typeof rows)[0], (typeof rows)[0]];
      console.log(`current / baseline: nav→rows ${(now.navToRows / base.navToRows).toFixed(2)}, data→rows ${(now.dataToRows / base.dataToRows).toFixed(2)} (target: data→rows < 150 ms)`);
    }
  } finally {
    await context?.close();
    await helper.close();
    await rm(work, { recursive: true, force: true });
  }
}
