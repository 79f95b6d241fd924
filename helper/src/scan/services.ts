/**
 * Everything the scan side of the helper runs, built once at start from the foundation's
 * state store, inventory and event bus: queue, per-layer cache, reports, licensing, schedule,
 * data update and the server-event hub. Routes get this object.
 */
import { join } from 'node:path';
import type { LayerSourceSetting, RiskCategory, ScanReport, VulnerabilityDataStatus } from '@shipshape/shared';
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
import { DEFAULT_ECOSYSTEMS, cveDataOptionsFromEnv, importPath, matchReport, openVulnDb, reportMatcher, updateCveData, updateVulnDb, type VulnDb } from '../vulndb/index.ts';
import { cveOutcomes, cveProgress, osvOutcomes, osvProgress } from './data-sources.ts';
import { defaultAnalyzerSeam, type AnalyzerSeam, type CachedLayer } from './analyzer-seam.ts';
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
  analyzers?: AnalyzerSeam;
  /** Replaces the Docker scanner (unit tests). */
  scanner?: ImageScanner;
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
  recorder.onRecorded = ({ imageId, entry, report, rematch, isLatest, at }) => {
    if (isLatest) history.recordImage(imageId, riskPoint(entry, report, rematch ? 'rematch' : 'scan', at));
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

  // The vulnerability database is opened on first use and re-opened after an update replaces it.
  let db: VulnDb | null = null;
  const vulnDb = (): VulnDb | null => {
    db ??= openVulnDb(opts.dataDir);
    return db;
  };
  const reopenVulnDb = () => {
    db?.close();
    db = null;
  };

  const licenses = new LicenseManager({ data, emit: hub.emit, resolve: async (q) => (await catalog.resolve(q))?.id ?? null });
  // Made only for the real scanner: the seam starts building its layer worker at once.
  const analyzers = opts.scanner ? null : (opts.analyzers ?? defaultAnalyzerSeam(createDetectionSource(opts.dataDir, () => data.get().detection)));
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
            if (!current) throw new Error('no vulnerability database yet: run a data update (POST /api/data-update)');
            return matchReport(report, current);
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
      const notChecked = Object.entries(result.categoryErrors).map(([category, reason]) => ({ category: category as RiskCategory, reason: reason! }));
      const entry = await recorder.record({ imageId: image.id, name: image.name, taskId, categories, report: result.report, runningContainers: running(image.id), notChecked });
      return { reportId: entry.id, risks: entry.risks, atRisk: entry.securityStatus === 'at_risk' };
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
    reports,
    recorder,
    refreshInventory: () => opts.inventory.reconcile(),
    updateVulnData: async (request, signal, progress) => {
      if (request.source) {
        const name = request.source;
        progress({ name, phase: 'importing' });
        const result = await importPath(opts.dataDir, request.source).catch((error: unknown) => {
          progress({ name, phase: 'failed', error: (error as Error).message });
          throw error;
        });
        progress({ name, phase: 'updated', records: result.records });
        reopenVulnDb();
        return { advisories: result.records, source: request.source };
      }
      for (const ecosystem of DEFAULT_ECOSYSTEMS) progress({ name: `OSV ${ecosystem}`, phase: 'pending' });
      const result = await updateVulnDb({ dataDir: opts.dataDir, ecosystems: DEFAULT_ECOSYSTEMS, signal, baseUrl: request.mirror ?? (process.env.SHIPSHAPE_OSV_MIRROR || undefined), onProgress: osvProgress(progress) });
      osvOutcomes(result, progress);
      // NVD severities, CISA KEV and EPSS: their own feeds, so a failure there never costs the advisories.
      const cveData = await updateCveData({ dataDir: opts.dataDir, ...cveDataOptionsFromEnv(), signal, onProgress: cveProgress(progress) });
      cveOutcomes(cveData, progress);
      reopenVulnDb();
      const failed = result.ecosystems.filter((e) => e.outcome === 'failed');
      if (failed.length === result.ecosystems.length && failed.length > 0) throw new Error(`vulnerability data update failed: ${failed[0]!.error ?? 'download failed'}`);
      const problems = cveData.feeds.filter((f) => f.outcome === 'failed').map((f) => `${f.feed}: ${f.error ?? 'failed'}`);
      return { advisories: vulnDb()?.status().records ?? null, source: request.mirror ?? 'osv.dev', ...(problems.length ? { problems } : {}) };
    },
    rematcher: () => {
      const current = vulnDb();
      return current ? reportMatcher(current) : null;
    },
    runningContainers: running,
    emit: hub.emit,
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
  const vulnerabilityData = (): VulnerabilityDataStatus => {
    let status: ReturnType<VulnDb['status']> | null = null;
    try {
      status = vulnDb()?.status() ?? null;
    } catch {
      status = null;
    }
    if (!status || status.records === 0) return { present: false, records: 0, updatedAt: status?.updatedAt ?? null, sources: [], ...(status ? { cveData: status.cveData } : {}) };
    return {
      present: true,
      records: status.records,
      updatedAt: status.updatedAt,
      sources: status.sources.map((s) => ({ name: s.source, records: s.records, updatedAt: s.fetchedAt })),
      cveData: status.cveData,
    };
  };

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
      retainLayers();
      void ignores.start().catch((error: unknown) => log(`applying expired ignores failed: ${error instanceof Error ? error.message : String(error)}`));
    },
    async stop(): Promise<void> {
      scheduler.stop();
      ignores.stop();
      dataUpdate.stop();
      engine.cancel({ images: opts.store.images().map((r) => r.inventory.id) }, 'helper stopping');
      for (const off of unsubscribe) off();
      licenses.settleArrivals();
      unsubscribeHistory();
      await history.flush();
      if (retainTimer) clearTimeout(retainTimer);
      reopenVulnDb();
    },
  };
}
