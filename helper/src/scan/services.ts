/**
 * Everything the scan side of the helper runs, built once at start from the foundation's
 * state store, inventory and event bus: queue, per-layer cache, reports, licensing, schedule,
 * data update and the server-event hub. Routes get this object.
 */
import { join } from 'node:path';
import type { DataUpdateSettings, LayerSourceSetting, RiskCategory, ScanReport, VulnerabilityDataStatus } from '@shipshape/shared';
import type { DockerTarget } from '../docker/client.ts';
import { inPlaceCapability } from '../docker/layer-store/capability.ts';
import type { EventBus } from '../events/bus.ts';
import type { Inventory } from '../inventory/inventory.ts';
import { describeServer } from '../inventory/servers.ts';
import { RiskHistory } from '../history/risk-history.ts';
import { hostSnapshot, riskPoint } from '../history/risk-points.ts';
import { IgnoreService } from '../ignores/service.ts';
import { LicenseManager } from '../licenses/manager.ts';
import { systemClock, type Clock } from '../schedule/clock.ts';
import { Scheduler } from '../schedule/scheduler.ts';
import type { StateStore } from '../state/store.ts';
import type { SensitiveAnalyzerOptions } from '@shipshape/analyzers/sensitive/index.ts';
import { ImportFolders } from '../files/import-folders.ts';
import { loadMaskKey } from '../secrets/mask-key.ts';
import { coverageGap, matchReportAsync, type VulnDb } from '../vulndb/index.ts';
import { helperRematcher } from './rematch/helper-rematcher.ts';
import { defaultAnalyzerSeam, type AnalyzerSeam, type CachedLayer } from './analyzer-seam.ts';
import { DataRefresher } from './data-refresh.ts';
import { DataUpdater } from './data-update.ts';
import { createDetectionSource } from './detection-loader.ts';
import { createDockerScanner } from './docker-scanner.ts';
import { ScanEngine } from './engine.ts';
import { EventHub } from './event-hub.ts';
import { LayerCache, DEFAULT_LAYER_CACHE_BYTES } from './layer-cache.ts';
import { createMultiEngineScanner } from './multi-engine-scanner.ts';
import { ScanRecorder } from './recorder.ts';
import { ReportStore } from './report-store.ts';
import { ScanDataStore } from './scan-data.ts';
import type { ImageCatalog, ImageScanner } from './scanner.ts';
import type { ImageScanFields, StateHost } from './state-host.ts';
import { missingDataReason } from './missing-data.ts';
import { VulnerabilityData } from './vulnerability-data.ts';

/** The reason an image's scan ends with when the helper died during it (kept in state as `scanReason`). */
export const INTERRUPTED = 'interrupted';

export interface ScanServicesOptions {
  dataDir: string;
  store: StateStore;
  inventory: Inventory;
  bus: EventBus;
  /** Unused: images are exported from the inventory's engines. Kept so older callers still compile. */
  dockerTarget?: DockerTarget;
  log?: (line: string) => void;
  clock?: Clock;
  /** IANA zone for the schedule (tests); default local time. */
  timezone?: string;
  layerCacheBytes?: number;
  /** How scans read layers (SHIPSHAPE_LAYER_SOURCE): default `auto`. */
  layerSource?: LayerSourceSetting;
  /** Layer worker threads (SHIPSHAPE_SCAN_WORKERS): default the pool's own. */
  scanWorkers?: number;
  analyzers?: AnalyzerSeam;
  /** Replaces the Docker scanner (unit tests). */
  scanner?: ImageScanner;
  /** Folders named at start whose files the API may read, besides `<data dir>/imports` (`serve --import-dir`). */
  importDirs?: string[];
  /** A clamd from the command line (`serve --clamd`): any address; used when the settings name none. */
  clamd?: string | null;
  /** Told the user's secret rules whenever they are (re)loaded, with a stamp of their content. */
  onSecretRules?: (options: SensitiveAnalyzerOptions, stamp: string) => void;
  /**
   * Data-update settings until the user saves some (from `serve --data-refresh`/`--mirror` or
   * the environment). Without them: no automatic updates (unit tests never reach the network).
   */
  dataUpdateDefaults?: DataUpdateSettings;
}

export type ScanServices = Awaited<ReturnType<typeof createScanServices>>;

export async function createScanServices(opts: ScanServicesOptions) {
  const log = opts.log ?? ((line: string) => process.stderr.write(`shipshape: ${line}\n`));
  const state = opts.store as unknown as StateHost;
  const hub = new EventHub();
  const data = new ScanDataStore(state);
  const reports = await ReportStore.open(opts.dataDir);
  // A state that started empty because its file was invalid lists nothing: its reports stay
  // for whoever repairs the file moved aside.
  if (!opts.store.movedAside) {
    const scans = [...opts.store.images(), ...Object.values(opts.store.state.retired)].map((r) => r.scan as ImageScanFields);
    const swept = await reports.sweep(new Set(scans.flatMap((scan) => scan.reports ?? []).map((r) => r.id)));
    if (swept > 0) log(`removed ${swept} report file(s) no image lists (left by an interrupted run)`);
  }
  const cache = await LayerCache.open<CachedLayer>(join(opts.dataDir, 'layer-cache'), opts.layerCacheBytes ?? DEFAULT_LAYER_CACHE_BYTES);
  const running = (id: string) => opts.inventory.containerCounts(id).running;
  const clock = opts.clock ?? systemClock;
  const ignores = new IgnoreService({
    state,
    reports,
    clock,
    runningContainers: running,
    changed: (id) => hub.emit({ type: 'image.changed', imageId: id, image: summaryOf(id) }),
    emit: hub.emit,
    log,
  });
  const recorder = new ScanRecorder(state, reports, hub.emit, undefined, ignores);
  // Risk over time: each recorded report per image, the host's totals after each scan task and data update.
  const history = await RiskHistory.open(opts.dataDir, log);
  recorder.onRecorded = ({ imageId, entry, knownExploited, rematch, isLatest, at }) => {
    if (isLatest) history.recordImage(imageId, riskPoint(entry, knownExploited, rematch ? 'rematch' : 'scan', at));
  };
  const unsubscribeHistory = hub.subscribe((event) => {
    if (event.type === 'scan.finished' || (event.type === 'data_update.progress' && !event.status.running)) {
      history.recordHost(hostSnapshot(opts.store.images(), (id) => history.latestPoint(id)?.knownExploited ?? 0, clock.now()));
    }
  });

  const catalog: ImageCatalog = {
    list: async () => opts.store.images().map((r) => ({ id: r.inventory.id, name: r.inventory.repoTags[0] ?? r.inventory.id, runningContainers: running(r.inventory.id) })),
    resolve: async (q) => {
      const hex = q.replace(/^sha256:/, '');
      const hits = opts.store.images().filter((r) => r.inventory.id.replace(/^sha256:/, '').startsWith(hex));
      const hit = hits.length === 1 ? hits[0]! : null;
      return hit ? { id: hit.inventory.id, name: hit.inventory.repoTags[0] ?? hit.inventory.id, runningContainers: running(hit.inventory.id) } : null;
    },
  };

  const maskKey = loadMaskKey(opts.dataDir)!;
  const folders = new ImportFolders(opts.dataDir, opts.importDirs ?? []);
  folders.ensure();
  const dataUpdateSettings = (): DataUpdateSettings => data.get().dataUpdateSettings ?? opts.dataUpdateDefaults ?? { autoUpdate: 'off', mirror: null };
  // Set once the updater exists (health and scans ask whether an update runs).
  let updating = () => false;
  const vulnData = new VulnerabilityData({
    dataDir: opts.dataDir,
    folders,
    state,
    reports,
    settings: dataUpdateSettings,
    updating: () => updating(),
    feedAttempted: (attempt) => data.update((d) => void (d.feedAttempt = attempt)),
  });
  const vulnDb = (): VulnDb | null => vulnData.current();
  const usableDb = (): VulnDb | null => {
    try {
      return vulnDb();
    } catch {
      return null; // a database of an old schema: the scan's own error says so
    }
  };
  /** The ecosystems of a matched report the data holds nothing for (see vulndb/coverage.ts). */
  const vulnerabilityGap = (report: ScanReport): string | null => {
    const current = usableDb();
    return current ? coverageGap(report.packages, current.coveredEcosystems()) : null;
  };

  const detection = createDetectionSource(opts.dataDir, () => data.get().detection, {
    folders,
    clamd: opts.clamd ?? null,
    maskKey,
    ...(opts.onSecretRules ? { onRules: opts.onSecretRules } : {}),
  });
  /** Loads the detection settings now (their rules reach the inventory's masks); a broken file waits for the next scan to say so. */
  const loadDetection = () => void detection().catch(() => undefined);

  const licenses = new LicenseManager({ data, emit: hub.emit, resolve: async (q) => (await catalog.resolve(q))?.id ?? null });
  // Made only for the real scanner: the seam starts building its layer worker at once.
  const analyzers = opts.scanner ? null : (opts.analyzers ?? defaultAnalyzerSeam(detection, { ...(opts.scanWorkers ? { workers: opts.scanWorkers } : {}) }));
  void analyzers?.describeWorkers?.().then(log);
  // One Docker scanner per engine, all sharing the layer cache; each image ID is read from one engine.
  const scanner =
    opts.scanner ??
    createMultiEngineScanner({
      inventory: opts.inventory,
      store: opts.store,
      log,
      // Among several online engines holding an image, one whose layer store this machine can
      // read comes first (only asked when there is a choice to make).
      canReadLayerStore: async (name) => {
        const watcher = opts.inventory.watcher(name);
        const docker = watcher?.engine.exportClient?.();
        if (!watcher?.meta.target || !docker || (opts.layerSource ?? 'auto') === 'export') return false;
        return (await inPlaceCapability({ docker, target: watcher.meta.target })).ok;
      },
      scannerFor: (docker, target) =>
        createDockerScanner({
          docker,
          cache,
          analyzers: analyzers!,
          matchVulnerabilities: async (report: ScanReport) => {
            const current = vulnDb();
            if (!current) throw new Error(missingDataReason(updating()));
            return matchReportAsync(report, current);
          },
          log,
          layerSource: opts.layerSource ?? 'auto',
          ...(target ? { target } : {}),
        }),
    });

  const engine = new ScanEngine({
    scanner,
    catalog,
    settings: () => data.get().scanSettings,
    record: async ({ image, taskId, categories, result }) => {
      let report = result.report;
      let matchError = result.matchError ?? null;
      // The data may have landed while this image was being analysed, after the update's
      // re-match looked at the stored reports: match it now rather than leave it unjudged.
      const current = matchError ? usableDb() : null;
      if (current) {
        report = await matchReportAsync(report, current);
        matchError = null;
      }
      // Matched, but against data without some of its packages' ecosystems: those were not checked.
      const uncovered = categories.includes('vulnerabilities') && !matchError ? vulnerabilityGap(report) : null;
      // One entry per gap: a data update later clears the missing-data one, and only that one.
      const notChecked = [
        ...(matchError ? [{ category: 'vulnerabilities' as const, reason: matchError }] : []),
        ...(uncovered ? [{ category: 'vulnerabilities' as const, reason: uncovered }] : []),
        ...Object.entries(result.categoryErrors).map(([category, reason]) => ({ category: category as RiskCategory, reason: reason! })),
      ];
      const entry = await recorder.record({ imageId: image.id, name: image.name, taskId, categories, report, runningContainers: running(image.id), notChecked });
      return { reportId: entry.id, risks: entry.risks, atRisk: entry.securityStatus === 'at_risk', notChecked };
    },
    statusChanged: (id, status, reason) => {
      if (status !== 'scanned') opts.store.updateScan(id, { scanStatus: status, scanReason: reason });
    },
    licensed: (id) => licenses.isLicensed(id),
    emit: hub.emit,
    log,
  });

  const scheduler = new Scheduler({
    data,
    engine,
    catalog,
    licenses: { get limited() { return licenses.limited; }, isLicensed: (id) => licenses.isLicensed(id) },
    clock,
    emit: hub.emit,
    ...(opts.timezone ? { timezone: opts.timezone } : {}),
    log,
  });

  const dataUpdate = new DataUpdater({
    state,
    data,
    recorder,
    refreshInventory: () => opts.inventory.reconcile(),
    updateVulnData: (request, signal, progress) => vulnData.update(request, signal, progress),
    rematcher: () => (vulnDb() ? helperRematcher({ db: vulnDb, reports }) : null),
    runningContainers: running,
    emit: hub.emit,
  });
  updating = () => dataUpdate.running !== null;

  const refresher = new DataRefresher({
    settings: dataUpdateSettings,
    present: () => vulnData.present(),
    lastAttempt: () => data.get().feedAttempt,
    startUpdate: () => {
      try {
        return dataUpdate.start({}, 'auto');
      } catch {
        return null; // one is running already
      }
    },
    log,
  });

  // Inventory changes: SSE events, auto-licensing, and forgetting cached layers of removed images.
  let retainTimer: NodeJS.Timeout | null = null;
  const retainLayers = () => {
    if (retainTimer) clearTimeout(retainTimer);
    retainTimer = setTimeout(() => {
      const live = new Set(opts.store.images().flatMap((r) => r.inventory.diffIds));
      void cache.retainLayers(live).then((n) => n && log(`layer cache: forgot ${n} layer(s) no image uses`));
    }, 1000);
    retainTimer.unref();
  };
  const unsubscribe = [
    opts.bus.on('image.added', ({ id, image }) => {
      licenses.noteImageAdded(id);
      // An image back from `retired` brings its old counts: ignores may have changed meanwhile.
      // (A new image has no report: nothing to re-derive, and no pass over every image.)
      if (state.image(id)?.scan.reports?.[0]) void ignores.reevaluate([{ image: id }]).catch(() => {});
      hub.emit({ type: 'image.added', imageId: id, image });
    }),
    opts.bus.on('image.changed', ({ id, image }) => hub.emit({ type: 'image.changed', imageId: id, image })),
    opts.bus.on('image.removed', ({ id }) => {
      hub.emit({ type: 'image.removed', imageId: id });
      retainLayers();
    }),
    // Engines going offline or coming back show live (Servers view, image servers).
    opts.bus.on('engine.changed', ({ name }) => {
      const watcher = opts.inventory.watcher(name);
      if (watcher) hub.emit({ type: 'server.changed', server: describeServer(watcher, opts.store) });
    }),
    opts.bus.on('engine.removed', ({ name }) => hub.emit({ type: 'server.removed', serverId: name })),
  ];

  const summaryOf = (id: string) => {
    const record = opts.store.image(id);
    return record ? opts.inventory.summary(record) : null;
  };

  /** What health says of the vulnerability data: never throws (a database of an old schema is "not present"). */
  const vulnerabilityData = (): VulnerabilityDataStatus => vulnData.status();

  return {
    hub,
    data,
    vulnerabilityData,
    reports,
    cache,
    engine,
    licenses,
    scheduler,
    dataUpdate,
    refresher,
    folders,
    vulnData,
    dataUpdateSettings,
    loadDetection,
    state,
    summaryOf,
    ignores,
    history,
    now: () => clock.now(),
    start(): void {
      // A scan cut short by a crash or kill: it failed, and says why. Tasks live in memory
      // only, so none is left running; stored reports are untouched.
      for (const r of opts.store.images()) {
        if (r.scan.scanStatus === 'scanning') opts.store.updateScan(r.inventory.id, { scanStatus: 'scan_exception', scanReason: INTERRUPTED });
      }
      // Images already on the host when auto-licensing is on get their license now.
      licenses.onImagesAdded(opts.store.images().map((r) => r.inventory.id));
      scheduler.start();
      refresher.start();
      loadDetection();
      retainLayers();
      void ignores.start().catch((error: unknown) => log(`applying expired ignores failed: ${error instanceof Error ? error.message : String(error)}`));
    },
    async stop(): Promise<void> {
      scheduler.stop();
      refresher.stop();
      ignores.stop();
      dataUpdate.stop();
      await dataUpdate.running?.catch(() => undefined);
      engine.cancel({ images: opts.store.images().map((r) => r.inventory.id) }, 'helper stopping');
      for (const off of unsubscribe) off();
      licenses.settleArrivals();
      unsubscribeHistory();
      await history.flush();
      if (retainTimer) clearTimeout(retainTimer);
      vulnData.reopen();
    },
  };
}
