/**
 * Severity and exploit-aware priority on a real image: the Debian test rootfs made bullseye
 * with an outdated libssl1.1 and liblog4j2-java (test/support/bullseye-image.ts), scanned by
 * the real helper over the real Docker Engine, against Debian's DSA list from the fixtures and
 * the per-CVE fixtures (NVD feeds, KEV catalogs, EPSS scores) served by a local HTTP server as
 * the data update downloads them, and imported from files with `db import`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageDetail, ImageRiskHistory, ScanReport, ScanTask, ServerEvent, VulnerabilityList } from '@shipshape/shared';
import { BULLSEYE_TAG, ensureBullseyeImage } from '../support/bullseye-image.ts';
import { KEV_AFTER, cveData, startFeedServer, type FeedServer } from '../support/cve-feeds.ts';
import { removeImages, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dsaList = join(repoRoot, 'test', 'fixtures', 'advisories', 'debian-security-tracker', 'DSA-list.txt.gz');
const cli = (...args: string[]) => run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });

let work: string;
let feeds: FeedServer;
let helper: HelperProcess;
let imageId: string;
const events: ServerEvent[] = [];
const stopEvents = new AbortController();

const post = (path: string, body: unknown) => apiJson(helper, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function dataUpdate(body: object): Promise<{ outcome: string; reason: string | null; vulnDb: { problems?: string[] } | null }> {
  const started = Date.now();
  await post('/api/data-update', body);
  await waitFor(async () => {
    const status = await apiJson<{ running: boolean; lastResult: { finishedAt: string } | null }>(helper, '/api/data-update');
    return !status.running && status.lastResult !== null && Date.parse(status.lastResult.finishedAt) >= started - 1000;
  }, 240_000, 200);
  return (await apiJson<{ lastResult: { outcome: string; reason: string | null; vulnDb: { problems?: string[] } | null } }>(helper, '/api/data-update')).lastResult;
}

const findings = async (query = '') => (await apiJson<VulnerabilityList>(helper, `/api/images/${imageId}/vulnerabilities?limit=500${query}`)).items;
const ours = (items: VulnerabilityList['items']) => items.filter((v) => ['libssl1.1', 'liblog4j2-java'].includes(v.package.name));

/** Server-Sent Events of the helper into `events`, until the test ends. */
async function followEvents(): Promise<void> {
  const res = await fetch(`${helper.url}/api/events`, { headers: { authorization: `Bearer ${helper.token}`, accept: 'text/event-stream' }, signal: stopEvents.signal });
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (type && data) events.push({ type, ...(JSON.parse(data) as object) } as ServerEvent);
        }
      }
    } catch {
      // aborted at the end of the suite
    }
  })();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-severity-'));
  imageId = (await ensureBullseyeImage()).id;
  feeds = await startFeedServer();
  helper = await startHelper({ env: feeds.env });
  await followEvents();
});

afterAll(async () => {
  stopEvents.abort();
  await helper?.stop();
  await feeds?.close();
  await removeImages(BULLSEYE_TAG);
  await rm(work, { recursive: true, force: true });
});

describe('severity through NVD, and priority, on a real Debian image', () => {
  it('with only the DSA list, the openssl finding is unknown and the report says why', async () => {
    const listOnly = join(work, 'dsa');
    await run('mkdir', ['-p', listOnly]);
    await copyFile(dsaList, join(listOnly, 'DSA-list.txt.gz'));
    expect(await dataUpdate({ source: listOnly })).toMatchObject({ outcome: 'success' });
    const task = await post('/api/scans', { images: [imageId], categories: ['vulnerabilities'] }) as ScanTask;
    await waitFor(async () => (await apiJson<ScanTask>(helper, `/api/scans/${task.id}`)).state === 'finished', 240_000, 250);
    const mine = ours(await findings());
    expect(mine.map((v) => [v.id, v.package.name, v.severity, v.severitySource, v.fixedVersions[0]]).sort()).toEqual([
      ['DSA-5022-1', 'liblog4j2-java', 'unknown', 'none', '2.16.0-1~deb11u1'],
      ['DSA-5024-1', 'liblog4j2-java', 'unknown', 'none', '2.17.0-1~deb11u1'],
      ['DSA-5343-1', 'libssl1.1', 'unknown', 'none', '1.1.1n-0+deb11u4'],
    ]);
    const report = await apiJson<ScanReport>(helper, `/api/images/${imageId}/report?format=json`);
    expect(report.notes.some((n) => /no severity: their advisories give none and there is no NVD CVE data/.test(n))).toBe(true);
    expect(await apiJson<ImageDetail>(helper, `/api/images/${imageId}`)).toMatchObject({ highPriority: false });
  });

  it("a data update brings NVD's feeds: the DSA is high (7.5, from NVD), and the image's score follows; the rest stays honest", async () => {
    const before = (await apiJson<ImageDetail>(helper, `/api/images/${imageId}`)).priorityScore;
    const result = await dataUpdate({});
    expect(result.outcome).toBe('success');
    expect(result.vulnDb?.problems ?? []).toEqual([]);
    const [openssl] = ours(await findings('&q=DSA-5343-1'));
    expect(openssl).toMatchObject({ severity: 'high', severitySource: 'nvd', cvss: { score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }, knownExploited: null, tags: expect.arrayContaining(['fixable', 'suggested']) });
    const image = await apiJson<ImageDetail>(helper, `/api/images/${imageId}`);
    expect(image.priorityScore).toBeGreaterThan(before);
    expect(image.priorityScore).toBe(4.01); // one fixable high: 4, × (1 + its EPSS 0.00131)
    expect(image.highPriority).toBe(false);
    // The Log4j CVEs are in no NVD fixture: still unknown, still said.
    expect(ours(await findings('&severity=unknown')).map((v) => v.id).sort()).toEqual(['DSA-5022-1', 'DSA-5024-1']);
    // Every NVD year was fetched once; EPSS and KEV too.
    expect(feeds.log.filter((r) => r.path.startsWith('/nvd/') && r.status === 200)).toHaveLength(new Date().getUTCFullYear() - 2002 + 2);
  });

  it('KEV: a data update that adds the CVE of an existing finding tags it, makes the image high priority and announces it', async () => {
    expect(ours(await findings('&knownExploited=true'))).toEqual([]);
    feeds.log.length = 0;
    await feeds.setKev(KEV_AFTER);
    expect(await dataUpdate({})).toMatchObject({ outcome: 'success' });
    // Only the catalog changed: NVD years were not fetched again, the modified feed and EPSS answered 304.
    expect(feeds.log.filter((r) => r.status === 200).map((r) => r.path)).toEqual(['/kev/known_exploited_vulnerabilities.json']);
    expect(feeds.log.filter((r) => r.path.includes('modified') || r.path.includes('epss')).every((r) => r.status === 304 && r.conditional)).toBe(true);
    const exploited = await findings('&knownExploited=true');
    expect(exploited.map((v) => [v.id, v.knownExploited?.cve, v.knownExploited?.dateAdded, v.epss?.score])).toEqual([['DSA-5022-1', 'CVE-2021-45046', '2023-05-01', 0.97503]]);
    expect(exploited[0]!.tags).toEqual(expect.arrayContaining(['known-exploited', 'epss', 'suggested']));
    expect((await findings('&sort=exploit'))[0]!.id).toBe('DSA-5022-1');
    const image = await apiJson<ImageDetail>(helper, `/api/images/${imageId}`);
    expect(image).toMatchObject({ highPriority: true, priorityScore: 23.76 });
    await waitFor(() => events.some((e) => e.type === 'risk.known_exploited'), 10_000, 100);
    expect(events.filter((e) => e.type === 'risk.known_exploited')).toEqual([
      { type: 'risk.known_exploited', imageId, name: BULLSEYE_TAG, findings: [{ id: 'DSA-5022-1', cve: 'CVE-2021-45046', package: 'liblog4j2-java 2.15.0-1~deb11u1', dateAdded: '2023-05-01' }] },
    ]);
    const history = await apiJson<ImageRiskHistory>(helper, `/api/images/${imageId}/risk-history`);
    expect(history.items.map((p) => [p.kind, p.high, p.unknown >= 3 ? 'unrated' : 'rated', p.knownExploited, p.highPriority])).toEqual([
      ['scan', 0, 'unrated', 0, false],
      ['rematch', 1, 'rated', 0, false],
      ['rematch', 1, 'rated', 1, true],
    ]);
  });

  it('the same from files: db import recognises the KEV catalog, EPSS scores and NVD feeds by content; the CLI scan tags the finding', async () => {
    const dataDir = join(work, 'offline');
    const folder = join(work, 'offline-files');
    await run('mkdir', ['-p', folder]);
    // Names that say nothing: the import goes by what the files hold.
    const files: Array<[string, string]> = [[KEV_AFTER, 'catalog.json'], ['epss/epss_scores-2023-05-03.csv.gz', 'scores.csv.gz'], ['nvd/nvdcve-2.0-2022.json.gz', 'a.json.gz'], ['nvd/nvdcve-2.0-2023.json.gz', 'b.json.gz']];
    for (const [from, to] of files) await copyFile(cveData(from), join(folder, to));
    await copyFile(dsaList, join(folder, 'DSA-list.txt.gz'));
    const imported = await cli('db', 'import', folder, '--data-dir', dataDir);
    expect(imported.stdout).toMatch(/imported \d+ records and 15 per-CVE rows \(NVD\/KEV\/EPSS\)/);
    const status = JSON.parse((await cli('db', 'status', '--json', '--data-dir', dataDir)).stdout) as { cveData: unknown };
    expect(status.cveData).toMatchObject({ nvd: { cves: 5 }, kev: { entries: 7, catalogVersion: '2023.05.01' }, epss: { scores: 3, scoreDate: '2023-05-03' } });
    const report = JSON.parse((await cli('scan', BULLSEYE_TAG, '--format', 'json', '--quiet', '--data-dir', dataDir)).stdout) as ScanReport;
    const mine = (report.vulnerabilities ?? []).filter((v) => ['libssl1.1', 'liblog4j2-java'].includes(v.package.name));
    expect(mine.map((v) => [v.id, v.severity, v.severitySource, v.knownExploited?.dateAdded ?? null])).toEqual([
      ['DSA-5022-1', 'unknown', 'none', '2023-05-01'],
      ['DSA-5343-1', 'high', 'nvd', null],
      ['DSA-5024-1', 'unknown', 'none', null],
    ]);
    const table = (await cli('scan', BULLSEYE_TAG, '--format', 'table', '--quiet', '--data-dir', dataDir)).stdout;
    expect(table).toMatch(/DSA-5022-1\s+unknown\s+liblog4j2-java\s+2\.15\.0-1~deb11u1\s+2\.16\.0-1~deb11u1\s+Known exploited \(since 2023-05-01\), EPSS 0\.98 \(99th percentile\)/);
    expect(table).toMatch(/DSA-5343-1\s+high \(NVD\)\s+libssl1\.1/);
  });
});
