/**
 * The live inventory across Docker engines: one EngineWatcher per engine, all writing to the
 * one store, where an image is one record per image ID with the engines that hold it. One
 * engine going away never stops the others: its images stay listed (with that server
 * offline) and the others keep syncing. Image routes answer 503 only when no engine answers.
 */
import type Docker from 'dockerode';
import type { ImageSummary } from '@shipshape/shared';
import type { DockerEngine, EngineInfo } from '../docker/engine.ts';
import type { EventBus } from '../events/bus.ts';
import { DockerUnavailableError } from '../http/errors.ts';
import type { ImageInventory, ImageRecord } from '../state/schema.ts';
import type { StateStore } from '../state/store.ts';
import { EngineWatcher, SharedInspections, type EngineMeta, type WatcherListener } from './engine-watcher.ts';
import { toSummary, type ContainerCounts } from './view.ts';

/** The default engine's name (DOCKER_HOST or the local socket). */
export const DEFAULT_ENGINE = 'local';
/** @deprecated an image may be on several engines: use `Inventory.serversOf` / `ImageSummary.servers`. */
export const SERVER_ID = DEFAULT_ENGINE;

export type DockerStatus = { reachable: boolean; version: string | null; message?: string };

export type InventoryOptions = {
  log?: (line: string) => void;
  /** Debounce between an event and the reconcile it triggers. */
  debounceMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Safety net: a full reconcile this often even without events. */
  resyncEveryMs?: number;
  /** Masks detected secrets (Env, Labels, build steps) before anything is stored or sent. */
  redact?: (inventory: ImageInventory) => ImageInventory;
};

export type EngineEntry = { meta: EngineMeta; engine: DockerEngine };

/** A container with the engine it runs on. */
export type ServerContainer = { server: string; container: Docker.ContainerInfo };

export class Inventory {
  private readonly watchersByName = new Map<string, EngineWatcher>();
  /** The watchers in configuration order (rebuilt when one is added or removed: read on every summary). */
  private ordered: EngineWatcher[] = [];
  private started = false;
  private readonly options: Required<InventoryOptions>;
  private readonly listener: WatcherListener;
  private lastStatus: DockerStatus = { reachable: false, version: null };
  private readonly inspections = new SharedInspections();

  /** `engines`: a single engine (it becomes `local`) or the configured list, default first. */
  constructor(
    engines: DockerEngine | EngineEntry[],
    private readonly store: StateStore,
    private readonly bus: EventBus,
    options: InventoryOptions = {},
  ) {
    this.options = {
      log: (line) => process.stderr.write(`shipshape: ${line}\n`),
      debounceMs: 30,
      minBackoffMs: 250,
      maxBackoffMs: 3000,
      resyncEveryMs: 60_000,
      redact: (inventory) => inventory,
      ...options,
    };
    this.listener = {
      imageChanged: (id, change) => {
        const record = this.store.image(id);
        if (record) this.bus.emit(change === 'added' ? 'image.added' : 'image.changed', { id, image: this.summary(record) });
      },
      imageRemoved: (id) => this.bus.emit('image.removed', { id }),
      engineChanged: (watcher) => {
        this.bus.emit('engine.changed', { name: watcher.name });
        this.emitAggregateStatus();
      },
    };
    const entries = Array.isArray(engines) ? engines : [{ meta: fakeMeta(DEFAULT_ENGINE), engine: engines }];
    for (const entry of entries) this.watchersByName.set(entry.meta.name, this.makeWatcher(entry));
    this.ordered = [...this.watchersByName.values()];
    // A state written before engines existed: its images were the default engine's.
    const first = entries[0]?.meta.name;
    if (first) this.store.adoptUnownedImages(first);
  }

  /** Starts every engine; resolves after each one's first connection attempt. */
  async start(): Promise<void> {
    this.started = true;
    this.forgetUnconfiguredEngines();
    await Promise.all(this.watchers().map((w) => w.start()));
  }

  /** Engines no longer configured (a flag dropped, an engine removed while the helper was down) hold nothing. */
  forgetUnconfiguredEngines(): void {
    for (const record of this.store.images()) {
      for (const name of Object.keys(record.engines)) {
        if (!this.watchersByName.has(name) && this.store.dropFromEngine(name, record.inventory.id) === 'removed') this.bus.emit('image.removed', { id: record.inventory.id });
      }
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.watchers().map((w) => w.stop()));
  }

  /**
   * Masks the stored inventories again: at start (state written by a helper that did not mask)
   * and when the secret rules change. Masking is idempotent, so nothing else changes.
   */
  redactStored(): number {
    let changed = 0;
    for (const record of this.store.images()) {
      if (this.store.upsertInventory(this.options.redact(record.inventory)) === 'changed') changed++;
    }
    return changed;
  }

  /** Adds an engine at run time; resolves after its first connection attempt. */
  async addEngine(entry: EngineEntry): Promise<EngineWatcher> {
    if (this.watchersByName.has(entry.meta.name)) throw new Error(`engine ${entry.meta.name} exists already`);
    const watcher = this.makeWatcher(entry);
    this.watchersByName.set(entry.meta.name, watcher);
    this.ordered = [...this.watchersByName.values()];
    this.bus.emit('engine.changed', { name: watcher.name });
    if (this.started) await watcher.start();
    return watcher;
  }

  /** Stops watching an engine and forgets which images it held (images on no other engine are retired). */
  async removeEngine(name: string): Promise<void> {
    const watcher = this.watchersByName.get(name);
    if (!watcher) return;
    this.watchersByName.delete(name);
    this.ordered = [...this.watchersByName.values()];
    await watcher.stop();
    for (const record of this.store.imagesOn(name)) {
      const id = record.inventory.id;
      const drop = this.store.dropFromEngine(name, id);
      if (drop === 'removed') this.bus.emit('image.removed', { id });
      else if (drop === 'changed') this.listener.imageChanged(id, 'changed');
    }
    this.bus.emit('engine.removed', { name });
    this.emitAggregateStatus();
  }

  /** Every engine, in configuration order (default first). */
  watchers(): EngineWatcher[] {
    return [...this.ordered];
  }

  watcher(name: string): EngineWatcher | undefined {
    return this.watchersByName.get(name);
  }

  /** Reachable when at least one engine answers; the version is the default engine's, else the first online one's. */
  get status(): DockerStatus {
    const all = this.watchers();
    const online = all.filter((w) => w.status.online);
    if (online.length === 0) {
      const reasons = all.map((w) => (all.length > 1 ? `${w.name}: ${w.status.message ?? 'offline'}` : (w.status.message ?? 'offline')));
      return { reachable: false, version: null, message: reasons.join('; ') || 'no engine configured' };
    }
    return { reachable: true, version: online[0]!.status.version };
  }

  /** The default engine's `docker info` (the first engine's). */
  get info(): EngineInfo | null {
    return this.watchers()[0]?.info ?? null;
  }

  /** Throws DockerUnavailableError (→ 503) when no engine is reachable. */
  requireDocker(): void {
    const status = this.status;
    if (!status.reachable) throw new DockerUnavailableError(`Docker is not reachable${status.message ? ` (${status.message})` : ''}`);
  }

  /** Containers of an image, summed over the engines. */
  containerCounts(imageId: string): ContainerCounts {
    const sum = { running: 0, total: 0 };
    for (const watcher of this.ordered) {
      const counts = watcher.containerCounts(imageId);
      sum.running += counts.running;
      sum.total += counts.total;
    }
    return sum;
  }

  containersOf(imageId: string): Docker.ContainerInfo[] {
    return this.containersOnServers(imageId).map((c) => c.container);
  }

  /** The image's containers, each with the engine it runs on. */
  containersOnServers(imageId: string): ServerContainer[] {
    return this.watchers().flatMap((w) => w.containersOf(imageId).map((container) => ({ server: w.name, container })));
  }

  allContainers(): readonly Docker.ContainerInfo[] {
    return this.watchers().flatMap((w) => w.allContainers());
  }

  /** The engines holding an image, in configuration order. */
  serversOf(record: ImageRecord): string[] {
    const servers: string[] = [];
    for (const watcher of this.ordered) if (record.engines[watcher.name]) servers.push(watcher.name);
    return servers;
  }

  /** The API's summary of an image: counts over every engine, and the engines holding it. */
  summary(record: ImageRecord): ImageSummary {
    const servers = this.serversOf(record);
    return toSummary(record, this.containerCounts(record.inventory.id), servers[0] ?? DEFAULT_ENGINE, servers);
  }

  /**
   * Full reconcile of every online engine now (offline ones are retried by their watchers);
   * rejects when no engine could be read.
   */
  async reconcile(): Promise<void> {
    const results = await Promise.allSettled(this.watchers().map((w) => w.reconcile()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (results.length > 0 && failed.length === results.length) throw failed[0]!.reason;
  }

  private makeWatcher(entry: EngineEntry): EngineWatcher {
    const { log, debounceMs, minBackoffMs, maxBackoffMs, resyncEveryMs, redact } = this.options;
    return new EngineWatcher(entry.meta, entry.engine, this.store, this.listener, { log, debounceMs, minBackoffMs, maxBackoffMs, resyncEveryMs, redact }, this.inspections);
  }

  /** `docker.status` keeps its old meaning for clients of one engine: whether any engine answers. */
  private emitAggregateStatus(): void {
    const status = this.status;
    if (status.reachable === this.lastStatus.reachable && status.version === this.lastStatus.version) return;
    this.lastStatus = status;
    this.bus.emit('docker.status', status);
  }
}

/** An engine known only by its API (tests, or a caller that passes one engine). */
export function fakeMeta(name: string): EngineMeta {
  return { name, endpoint: `unix:///var/run/docker.sock`, kind: 'unix', tls: false, context: null, source: 'default', target: null };
}
