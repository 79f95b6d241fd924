/**
 * The live inventory of the Docker host. A full resync at start and every time the daemon
 * comes back; in between, Docker's events stream triggers a (debounced, serialised) reconcile
 * of the image and container lists: new images are inspected, changed tags re-inspected,
 * vanished images retired (their scan state kept). Docker going away is noticed through the
 * events stream ending; the watcher reconnects with backoff.
 */
import type Docker from 'dockerode';
import type { DockerEngine, EngineInfo } from '../docker/engine.ts';
import { toImageInventory } from '../docker/map-image.ts';
import type { EventBus } from '../events/bus.ts';
import { DockerUnavailableError } from '../http/errors.ts';
import type { StateStore } from '../state/store.ts';
import type { ImageInventory, ImageRecord } from '../state/schema.ts';
import { consumeEvents, type DockerEvent } from './events-stream.ts';
import { toSummary, type ContainerCounts } from './view.ts';

export const SERVER_ID = 'local';

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

const imageEvents = new Set(['load', 'pull', 'tag', 'untag', 'delete', 'import', 'push', 'create', 'save']);

export class Inventory {
  status: DockerStatus = { reachable: false, version: null, message: 'not connected yet' };
  info: EngineInfo | null = null;
  private containers: Docker.ContainerInfo[] = [];
  private counts = new Map<string, ContainerCounts>();
  private stopped = false;
  private currentStream: NodeJS.ReadableStream | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  private debounceTimer: NodeJS.Timeout | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private firstAttempt: Promise<void>;
  private firstAttemptDone!: () => void;
  private readonly options: Required<InventoryOptions>;

  constructor(
    private readonly engine: DockerEngine,
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
    this.firstAttempt = new Promise((resolve) => (this.firstAttemptDone = resolve));
  }

  /** Starts watching; resolves after the first connection attempt (synced, or Docker found unreachable). */
  start(): Promise<void> {
    this.loop ??= this.watch();
    this.resyncTimer = setInterval(() => this.requestReconcile(), this.options.resyncEveryMs);
    this.resyncTimer.unref();
    return this.firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    (this.currentStream as unknown as { destroy?: () => void } | null)?.destroy?.();
    await this.loop;
    await this.reconciling;
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

  /** Throws DockerUnavailableError (→ 503) when the daemon is not reachable. */
  requireDocker(): void {
    if (!this.status.reachable) throw new DockerUnavailableError(`Docker is not reachable${this.status.message ? ` (${this.status.message})` : ''}`);
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
   * Full reconcile now; rejects if Docker is unreachable. Calls during a running reconcile
   * share it and queue one more pass afterwards (scheduled, not awaited: under a constant
   * stream of events a caller must still get an answer).
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

  /** The periodic safety net: only while connected. */
  private requestReconcile(): void {
    if (this.status.reachable) this.scheduleReconcile();
  }

  /** Debounced: a burst of events becomes one reconcile. */
  private scheduleReconcile(): void {
    if (this.stopped || this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.reconcile().catch((error) => this.options.log(`inventory refresh failed: ${(error as Error).message}`));
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
        const ended = consumeEvents(stream, (event) => this.onEvent(event));
        const version = await this.engine.version();
        this.info = await this.engine.info().catch(() => null);
        await this.reconcile();
        this.setStatus({ reachable: true, version: version.version });
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
      this.setStatus({ reachable: false, version: null, message: why.replace(/^Docker is not reachable \((.*)\)$/, '$1') });
      this.firstAttemptDone();
      await new Promise((r) => setTimeout(r, backoff).unref());
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  private setStatus(status: DockerStatus): void {
    const changed = status.reachable !== this.status.reachable || status.version !== this.status.version;
    this.status = status;
    if (changed) {
      this.options.log(status.reachable ? `Docker ${status.version} reachable` : `Docker not reachable: ${status.message ?? ''}`);
      this.bus.emit('docker.status', status);
    }
  }

  private onEvent(event: DockerEvent): void {
    const type = event.Type;
    const action = (event.Action ?? '').split(':')[0] ?? '';
    // Events arrive only while connected; those during the first sync queue a second pass.
    if ((type === 'image' && imageEvents.has(action)) || type === 'container') this.scheduleReconcile();
  }

  private async reconcileOnce(): Promise<void> {
    const [images, containers] = await Promise.all([this.engine.listImages(), this.engine.listContainers()]);
    const newCounts = countContainers(containers);
    this.containers = containers;
    const touched = new Set<string>();

    const toInspect = images.filter((image) => {
      const record = this.store.image(image.Id);
      return !record || !sameRefs(record, image);
    });
    await forEachLimited(toInspect, 4, async (image) => {
      const [inspect, history] = await Promise.all([this.engine.inspectImage(image.Id), this.engine.imageHistory(image.Id)]);
      if (!inspect || !history) return; // removed meanwhile; the next reconcile retires it
      const change = this.store.upsertInventory(this.options.redact(toImageInventory(inspect, history)));
      if (change === 'unchanged') return;
      touched.add(image.Id);
      this.emitImage(change === 'added' ? 'image.added' : 'image.changed', image.Id, newCounts);
    });

    const present = new Set(images.map((image) => image.Id));
    for (const record of this.store.images()) {
      const id = record.inventory.id;
      if (present.has(id)) continue;
      this.store.retireImage(id);
      this.bus.emit('image.removed', { id });
    }

    const oldCounts = this.counts;
    this.counts = newCounts;
    for (const id of new Set([...oldCounts.keys(), ...newCounts.keys()])) {
      if (touched.has(id) || !present.has(id)) continue;
      const before = oldCounts.get(id) ?? { running: 0, total: 0 };
      const after = newCounts.get(id) ?? { running: 0, total: 0 };
      if (before.running !== after.running || before.total !== after.total) this.emitImage('image.changed', id, newCounts);
    }
  }

  private emitImage(name: 'image.added' | 'image.changed', id: string, counts: Map<string, ContainerCounts>): void {
    const record = this.store.image(id);
    if (!record) return;
    this.bus.emit(name, { id, image: toSummary(record, counts.get(id) ?? { running: 0, total: 0 }, SERVER_ID) });
  }
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

function sameRefs(record: ImageRecord, image: Docker.ImageInfo): boolean {
  const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>').sort();
  const digests = (image.RepoDigests ?? []).filter((d) => !d.startsWith('<none>@')).sort();
  return JSON.stringify(tags) === JSON.stringify(record.inventory.repoTags) && JSON.stringify(digests) === JSON.stringify(record.inventory.repoDigests);
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
