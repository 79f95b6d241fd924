/**
 * One engine, watched: a full resync at start and every time the engine comes back; in
 * between, its events stream triggers a (debounced, serialised) reconcile of its images and
 * containers. The engine going away is noticed through the events stream ending; the watcher
 * reconnects with backoff, and while it is offline its images stay listed as last seen.
 * What the engine holds is written to the shared store as that engine's presence.
 */
import type Docker from 'dockerode';
import type { EngineKind, EngineSource } from '@shipshape/shared';
import type { DockerEngine, EngineInfo } from '../docker/engine.ts';
import { toImageInventory } from '../docker/map-image.ts';
import type { DockerTarget } from '../docker/target.ts';
import { DockerUnavailableError } from '../http/errors.ts';
import type { StateStore } from '../state/store.ts';
import type { ImageInventory } from '../state/schema.ts';
import { localAddresses, targetAddresses } from './addresses.ts';
import { consumeEvents, type DockerEvent } from './events-stream.ts';
import type { ContainerCounts } from './view.ts';

/** What the helper knows of an engine besides its API: how it was configured. */
export type EngineMeta = {
  name: string;
  endpoint: string;
  kind: EngineKind;
  tls: boolean;
  context: string | null;
  source: EngineSource;
  /** Null for engines without a real address (test fakes). */
  target: DockerTarget | null;
};

export type EngineStatus = { online: boolean; version: string | null; message: string | null };

/** What a watcher tells the inventory. Image IDs only: the inventory builds the summaries. */
export interface WatcherListener {
  imageChanged(id: string, change: 'added' | 'changed'): void;
  imageRemoved(id: string): void;
  /** The engine's status, version or image/container counts changed. */
  engineChanged(watcher: EngineWatcher): void;
}

/**
 * Inspections shared by the watchers: engines that start together hold many of the same
 * image IDs, and each ID needs inspecting once, by whichever engine gets to it first.
 */
export class SharedInspections {
  private readonly running = new Map<string, Promise<void>>();

  /** Runs `work` for this ID unless another engine is doing it; resolves when it is done either way. True when `work` ran here. */
  async once(id: string, work: () => Promise<void>): Promise<boolean> {
    const other = this.running.get(id);
    if (other) {
      await other.catch(() => undefined);
      return false;
    }
    const mine = work().finally(() => this.running.delete(id));
    this.running.set(id, mine);
    await mine;
    return true;
  }
}

export type WatcherOptions = {
  log: (line: string) => void;
  debounceMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  resyncEveryMs: number;
  /** Masks detected secrets (Env, Labels, build steps) before anything is stored or sent. */
  redact?: (inventory: ImageInventory) => ImageInventory;
};

const imageEvents = new Set(['load', 'pull', 'tag', 'untag', 'delete', 'import', 'push', 'create', 'save']);

export class EngineWatcher {
  status: EngineStatus = { online: false, version: null, message: 'not connected yet' };
  info: EngineInfo | null = null;
  addresses: string[] = [];
  private containers: Docker.ContainerInfo[] = [];
  private counts = new Map<string, ContainerCounts>();
  private lastCounts = { images: -1, containers: -1 };
  private stopped = false;
  private currentStream: NodeJS.ReadableStream | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  private debounceTimer: NodeJS.Timeout | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private backoffTimer: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private loop: Promise<void> | null = null;
  private readonly firstAttempt: Promise<void>;
  private firstAttemptDone!: () => void;

  constructor(
    readonly meta: EngineMeta,
    readonly engine: DockerEngine,
    private readonly store: StateStore,
    private readonly listener: WatcherListener,
    private readonly options: WatcherOptions,
    private readonly inspections: SharedInspections = new SharedInspections(),
  ) {
    this.firstAttempt = new Promise((resolve) => (this.firstAttemptDone = resolve));
    this.addresses = meta.target && meta.target.kind !== 'unix' ? [meta.target.host] : localAddresses();
  }

  get name(): string {
    return this.meta.name;
  }

  /** Starts watching; resolves after the first connection attempt (synced, or found offline). */
  start(): Promise<void> {
    this.loop ??= this.watch();
    this.resyncTimer ??= setInterval(() => this.status.online && this.scheduleReconcile(), this.options.resyncEveryMs);
    this.resyncTimer.unref();
    return this.firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.backoffTimer) {
      clearTimeout(this.backoffTimer.timer);
      this.backoffTimer.resolve();
    }
    (this.currentStream as unknown as { destroy?: () => void } | null)?.destroy?.();
    this.firstAttemptDone();
    await this.loop;
    await this.reconciling?.catch(() => undefined);
    this.engine.close?.();
  }

  containerCounts(imageId: string): ContainerCounts {
    return this.counts.get(imageId) ?? { running: 0, total: 0 };
  }

  containersOf(imageId: string): Docker.ContainerInfo[] {
    return this.containers.filter((c) => c.ImageID === imageId);
  }

  allContainers(): readonly Docker.ContainerInfo[] {
    return this.containers;
  }

  /**
   * Full reconcile now; rejects if the engine is unreachable. Calls during a running
   * reconcile share it and queue one more pass afterwards (scheduled, not awaited: under a
   * constant stream of events a caller must still get an answer).
   */
  async reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = this.reconcileOnce().finally(() => {
      this.reconciling = null;
      if (this.reconcileAgain && !this.stopped) {
        this.reconcileAgain = false;
        this.scheduleReconcile();
      }
    });
    return this.reconciling;
  }

  /** Debounced: a burst of events becomes one reconcile. */
  private scheduleReconcile(): void {
    if (this.stopped || this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.reconcile().catch((error) => {
        this.options.log(`engine ${this.name}: inventory refresh failed: ${(error as Error).message}`);
        // A host that vanished without closing the events connection (a network cut) is
        // noticed here: drop the stream, and the watch loop marks the engine offline.
        if (error instanceof DockerUnavailableError) (this.currentStream as unknown as { destroy?: (e?: Error) => void } | null)?.destroy?.(error);
      });
    }, this.options.debounceMs);
  }

  private async watch(): Promise<void> {
    let backoff = this.options.minBackoffMs;
    while (!this.stopped) {
      let why: string;
      try {
        // Subscribe before resyncing so that no change falls between the two.
        const stream = await this.engine.events();
        this.currentStream = stream;
        if (this.stopped) break;
        const ended = consumeEvents(stream, (event) => this.onEvent(event));
        const version = await this.engine.version();
        this.info = await this.engine.info().catch(() => null);
        if (this.meta.target) this.addresses = await targetAddresses(this.meta.target);
        await this.reconcile();
        this.setStatus({ online: true, version: version.version, message: null });
        this.firstAttemptDone();
        backoff = this.options.minBackoffMs;
        why = await ended;
        this.currentStream = null;
      } catch (error) {
        why = (error as Error).message;
        (this.currentStream as unknown as { destroy?: () => void } | null)?.destroy?.();
        this.currentStream = null;
      }
      if (this.stopped) break;
      this.setStatus({ online: false, version: null, message: why.replace(/^Docker is not reachable \((.*)\)$/, '$1') });
      this.firstAttemptDone();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.backoffTimer = null;
          resolve();
        }, backoff);
        timer.unref();
        this.backoffTimer = { timer, resolve };
      });
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  private setStatus(status: EngineStatus): void {
    const changed = status.online !== this.status.online || status.version !== this.status.version;
    this.status = status;
    if (changed) {
      this.options.log(status.online ? `engine ${this.name} (${this.meta.endpoint}): Docker ${status.version} reachable` : `engine ${this.name} (${this.meta.endpoint}) offline: ${status.message ?? ''}`);
      this.listener.engineChanged(this);
    }
  }

  private onEvent(event: DockerEvent): void {
    const type = event.Type;
    const action = (event.Action ?? '').split(':')[0] ?? '';
    // Events arrive only while connected; those during the first sync queue a second pass.
    if ((type === 'image' && imageEvents.has(action)) || type === 'container') this.scheduleReconcile();
  }

  private redact(inventory: ImageInventory): ImageInventory {
    return this.options.redact ? this.options.redact(inventory) : inventory;
  }

  private async reconcileOnce(): Promise<void> {
    const [images, containers] = await Promise.all([this.engine.listImages(), this.engine.listContainers()]);
    if (this.stopped) return;
    const oldCounts = this.counts;
    const newCounts = countContainers(containers);
    this.containers = containers;
    this.counts = newCounts;
    const touched = new Set<string>();
    const changed = (id: string, change: 'added' | 'changed' | 'unchanged') => {
      if (change === 'unchanged') return;
      touched.add(id);
      this.listener.imageChanged(id, change);
    };

    // An image ID already known (from another engine, or before) needs no inspect: its content
    // is the same everywhere; only this engine's tags are new.
    const toInspect: Docker.ImageInfo[] = [];
    for (const image of images) {
      if (this.store.image(image.Id)) changed(image.Id, this.store.setEngineRefs(this.name, image.Id, refsOf(image)));
      else toInspect.push(image);
    }
    const inspect = async (image: Docker.ImageInfo) => {
      const [inspected, history] = await Promise.all([this.engine.inspectImage(image.Id), this.engine.imageHistory(image.Id)]);
      if (!inspected || !history || this.stopped) return; // removed meanwhile; the next reconcile sees it gone
      changed(image.Id, this.store.upsertFromEngine(this.name, this.redact(toImageInventory(inspected, history))));
    };
    await forEachLimited(toInspect, 4, async (image) => {
      if (await this.inspections.once(image.Id, () => inspect(image))) return;
      // Another engine inspected it: record that this one holds it too (or inspect here if that failed).
      if (this.store.image(image.Id)) changed(image.Id, this.store.setEngineRefs(this.name, image.Id, refsOf(image)));
      else await inspect(image);
    });

    const present = new Set(images.map((image) => image.Id));
    for (const record of this.store.imagesOn(this.name)) {
      const id = record.inventory.id;
      if (present.has(id)) continue;
      const drop = this.store.dropFromEngine(this.name, id);
      touched.add(id);
      if (drop === 'removed') this.listener.imageRemoved(id);
      else if (drop === 'changed') this.listener.imageChanged(id, 'changed');
    }

    for (const id of new Set([...oldCounts.keys(), ...newCounts.keys()])) {
      if (touched.has(id) || !present.has(id)) continue;
      const before = oldCounts.get(id) ?? { running: 0, total: 0 };
      const after = newCounts.get(id) ?? { running: 0, total: 0 };
      if (before.running !== after.running || before.total !== after.total) this.listener.imageChanged(id, 'changed');
    }

    const counts = { images: present.size, containers: containers.length };
    if (counts.images !== this.lastCounts.images || counts.containers !== this.lastCounts.containers) {
      this.lastCounts = counts;
      if (this.status.online) this.listener.engineChanged(this);
    }
  }
}

function refsOf(image: Docker.ImageInfo) {
  return {
    repoTags: (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>').sort(),
    repoDigests: (image.RepoDigests ?? []).filter((d) => !d.startsWith('<none>@')).sort(),
  };
}

function countContainers(containers: Docker.ContainerInfo[]): Map<string, ContainerCounts> {
  const counts = new Map<string, ContainerCounts>();
  for (const container of containers) {
    const entry = counts.get(container.ImageID) ?? { running: 0, total: 0 };
    entry.total++;
    if (container.State === 'running') entry.running++;
    counts.set(container.ImageID, entry);
  }
  return counts;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
