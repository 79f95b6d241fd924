/**
 * The re-match part of `pnpm bench vulndb`: 100 stored inventories (a Debian 12 host's packages
 * and a node app's, some named in the generated feed) re-matched as a data update runs it, by
 * the helper's rematcher. Kept apart from vulndb-scale.ts (Docker, the helper process)
 * so that vulndb-rematch-run.ts bundles into one file that runs without tsx, as dist/ does.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Package, ScanReport } from '@shipshape/shared';
import { DataUpdater } from '@shipshape/helper/scan/data-update.ts';
import { memoryHost } from '@shipshape/helper/scan/memory-host.ts';
import { ScanRecorder } from '@shipshape/helper/scan/recorder.ts';
import { helperRematcher } from '@shipshape/helper/scan/rematch/helper-rematcher.ts';
import { ReportWriterThread } from '@shipshape/helper/scan/rematch/report-writer-thread.ts';
import { ReportStore } from '@shipshape/helper/scan/report-store.ts';
import { ScanDataStore } from '@shipshape/helper/scan/scan-data.ts';
import { zeroRisks } from '@shipshape/helper/state/schema.ts';
import { openVulnDb } from '@shipshape/helper/vulndb/store.ts';
import { FEED_MIX, packageNames } from './osv-feed.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DPKG_STATUS = join(here, '..', '..', 'analyzers', 'src', 'os-packages', 'dpkg', 'testdata', 'debian12-host', 'var', 'lib', 'dpkg', 'status');

let namePools: { advisory: string[]; malicious: string[] } | undefined;

/** Packages of a Debian 12 system (its real dpkg status) and of a node app, some of them named in the feed. */
export async function inventory(variant: number): Promise<Package[]> {
  const layer = { diffId: `sha256:${'0'.repeat(60)}${String(variant).padStart(4, '0')}`, createdBy: null };
  const text = await readFile(DPKG_STATUS, 'utf8');
  const debian: Package[] = [];
  for (const block of text.split('\n\n')) {
    const name = /^Package: (\S+)/m.exec(block)?.[1];
    const version = /^Version: (\S+)/m.exec(block)?.[1];
    if (!name || !version) continue;
    const source = /^Source: (\S+)/m.exec(block)?.[1] ?? name;
    debian.push({ ecosystem: 'Debian:12', name, version, sourceName: source, sourceVersion: version, purl: `pkg:deb/debian/${name}@${version}?distro=debian-12`, paths: ['/var/lib/dpkg/status'], layer });
  }
  // The generator's name pools (same seeds): a few advisory-named and malicious packages per image.
  namePools ??= {
    advisory: packageNames(Math.ceil((FEED_MIX.npm!.total - FEED_MIX.npm!.malicious!) / 3), 'npm'.length * 31 + 2, 'npm'),
    malicious: packageNames(FEED_MIX.npm!.malicious!, 'npm'.length * 31 + 1, 'npm'),
  };
  const { advisory: advisoryNames, malicious: malNames } = namePools;
  const own = packageNames(400, 1000 + (variant % 10), 'npm');
  const npmNames = [...advisoryNames.slice(variant, variant + 40), ...malNames.slice(variant * 3, variant * 3 + 2), ...own.slice(0, 250)];
  const npm: Package[] = npmNames.map((name, i) => ({
    ecosystem: 'npm',
    name,
    version: `${i % 5}.${i % 17}.${i % 3}`,
    sourceName: null,
    sourceVersion: null,
    purl: `pkg:npm/${name}@${i % 5}.${i % 17}.${i % 3}`,
    paths: [`/app/node_modules/${name}/package.json`],
    layer,
  }));
  return [...debian, ...npm];
}

/** Re-match of 100 stored inventories, as a data update runs it (report files, recorder, state). */
export interface RematchFigures {
  seconds: number;
  /** CPU time of the process over the re-match (user + system, every thread): on a loaded machine, closer to what it costs than the wall time. */
  cpuSeconds: number;
  changed: number;
  findings: number;
}

/** The 100 inventories re-matched by the helper's rematcher, with its own database handle and report store. */
export async function rematch100(dataDir: string): Promise<RematchFigures> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-bench-rematch-'));
  const db = openVulnDb(dataDir);
  try {
    const ids = Array.from({ length: 100 }, (_, i) => `sha256:${String(i).padStart(64, '0')}`);
    const host = memoryHost(ids.map((id) => ({ inventory: { id, repoTags: [id], diffIds: [], history: [] }, scan: { scanStatus: 'scanned' as const, securityStatus: 'incomplete' as const, risks: zeroRisks(), lastScanned: null, highPriority: false, priorityScore: 0, distro: null } })));
    const reports = await ReportStore.open(work);
    const recorder = new ScanRecorder(host, reports, () => undefined);
    for (const [i, id] of ids.entries()) {
      const report: ScanReport = { image: { id, tags: [], os: { family: 'debian', version: '12' }, architecture: 'amd64', layers: [] }, packages: await inventory(i), vulnerabilities: [], notes: [] };
      await recorder.record({ imageId: id, name: id, taskId: 't', categories: ['vulnerabilities'], report, runningContainers: 0, notChecked: [{ category: 'vulnerabilities', reason: 'no vulnerability data' }] });
    }
    const updater = new DataUpdater({
      state: host,
      data: new ScanDataStore(host),
      recorder,
      refreshInventory: async () => {},
      updateVulnData: async () => ({ advisories: null, source: 'bench' }),
      rematcher: () => helperRematcher({ db: () => db, reports }),
      runningContainers: () => 0,
      emit: () => undefined,
    });
    // dist/ has the report writer thread prebuilt; from the sources its first start bundles it
    // (esbuild), done here before the clock starts.
    await (await ReportWriterThread.start())?.close();
    const cpu = process.cpuUsage();
    const result = await updater.start();
    const cpuUsed = process.cpuUsage(cpu);
    if (result.outcome !== 'success') throw new Error(`re-match failed: ${result.reason}`);
    const findings = host.images().reduce((n, r) => n + Object.values(r.scan.risks.vulnerabilities).reduce((a, b) => a + b, 0) + r.scan.risks.viruses + r.scan.risks.trojans, 0);
    return { seconds: result.phaseSeconds.rematch ?? NaN, cpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6, changed: result.changedImages, findings };
  } finally {
    db?.close();
    await rm(work, { recursive: true, force: true });
  }
}
