/**
 * The helper's state: lowdb over one JSON file (`state.json` in the data dir), validated on
 * read and written atomically. Changes are made in memory through the update functions below
 * and written shortly after, coalesced (one write in flight, at most one queued).
 * A state file that fails validation is moved aside (`state.json.corrupt-<time>`), never
 * silently overwritten, and the helper starts from an empty state.
 */
import { Low, type Adapter } from 'lowdb';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import {
  emptyState,
  newScanState,
  State,
  type EngineRefs,
  type ImageInventory,
  type ImageRecord,
  type ImageScanState,
} from './schema.ts';

export const STATE_FILE = 'state.json';
/** After a failed write (disk full, directory gone), how long before trying again. */
const WRITE_RETRY_MS = 5000;

export type StoreOptions = { readOnly?: boolean; log?: (line: string) => void; retryMs?: number };

class ValidatedJsonFile implements Adapter<State> {
  /** Where an invalid state file was moved at read, if it was. */
  movedAside: string | null = null;

  constructor(
    private readonly path: string,
    private readonly log: (line: string) => void,
  ) {}

  async read(): Promise<State | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = State.safeParse(parsed);
    if (result.success) return result.data;
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    this.movedAside = aside;
    this.log(`state file was not valid; moved it to ${aside} and started empty`);
    return null;
  }

  async write(data: State): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(data));
  }
}

export type ImageChange = 'added' | 'changed' | 'unchanged';
/** An engine stopped holding an image: `removed` when it was the last one (the image is retired). */
export type ImageDrop = 'removed' | 'changed' | 'absent';

export class StateStore {
  private writing: Promise<void> | null = null;
  private dirty = false;
  /** Bumped by every change; `savedVersion` is the newest one a finished write holds. */
  private version = 0;
  private savedVersion = 0;
  private waiters: Array<{ version: number; resolve: () => void }> = [];
  /** Last write failure (e.g. disk full); cleared by the next successful write. */
  lastWriteError: Error | null = null;

  private constructor(
    private readonly db: Low<State>,
    /** The invalid state file moved aside at start (the state began empty), if any. */
    readonly movedAside: string | null,
    private readonly readOnly: boolean,
    private readonly log: (line: string) => void,
    private readonly retryMs: number,
  ) {}

  /** `readOnly` stores (CLI commands beside a running helper) never write the file. */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<StateStore> {
    const log = options.log ?? ((line: string) => process.stderr.write(`shipshape: ${line}\n`));
    const file = new ValidatedJsonFile(join(dataDir, STATE_FILE), log);
    const db = new Low<State>(file, emptyState());
    await db.read();
    return new StateStore(db, file.movedAside, options.readOnly ?? false, log, options.retryMs ?? WRITE_RETRY_MS);
  }

  get state(): Readonly<State> {
    return this.db.data;
  }

  images(): ImageRecord[] {
    return Object.values(this.db.data.images);
  }

  image(id: string): ImageRecord | undefined {
    return this.db.data.images[id];
  }

  /** Records what Docker says about an image; an image coming back gets its old scan state. */
  upsertInventory(inventory: ImageInventory): ImageChange {
    const { images, retired } = this.db.data;
    const existing = images[inventory.id];
    if (existing) {
      if (JSON.stringify(existing.inventory) === JSON.stringify(inventory)) return 'unchanged';
      existing.inventory = inventory;
      this.changed();
      return 'changed';
    }
    const previous = retired[inventory.id];
    delete retired[inventory.id];
    images[inventory.id] = { inventory, scan: previous?.scan ?? newScanState(), firstSeen: new Date().toISOString(), engines: {} };
    this.changed();
    return 'added';
  }

  /**
   * What one engine says about an image it holds (its inspect, with its own tags): that
   * engine's names are recorded and the record's tags become the union over its engines.
   */
  upsertFromEngine(engine: string, inventory: ImageInventory): ImageChange {
    const refs: EngineRefs = { repoTags: inventory.repoTags, repoDigests: inventory.repoDigests };
    const existing = this.db.data.images[inventory.id];
    if (!existing) {
      const change = this.upsertInventory(inventory);
      this.db.data.images[inventory.id]!.engines = { [engine]: refs };
      return change;
    }
    const presence = setRefs(existing, engine, refs);
    const merged = { ...inventory, ...unionRefs(existing.engines) };
    const content = JSON.stringify(existing.inventory) !== JSON.stringify(merged);
    if (!presence && !content) return 'unchanged';
    existing.inventory = merged;
    this.changed();
    return 'changed';
  }

  /** An engine holds an image already known (from another engine, or with new tags): no inspect needed. */
  setEngineRefs(engine: string, id: string, refs: EngineRefs): ImageChange {
    const record = this.db.data.images[id];
    if (!record || !setRefs(record, engine, refs)) return 'unchanged';
    record.inventory = { ...record.inventory, ...unionRefs(record.engines) };
    this.changed();
    return 'changed';
  }

  /** `engine` no longer holds the image; the last engine leaving retires it. */
  dropFromEngine(engine: string, id: string): ImageDrop {
    const record = this.db.data.images[id];
    if (!record?.engines[engine]) return 'absent';
    delete record.engines[engine];
    if (Object.keys(record.engines).length === 0) {
      this.retireImage(id);
      return 'removed';
    }
    record.inventory = { ...record.inventory, ...unionRefs(record.engines) };
    this.changed();
    return 'changed';
  }

  /** Images this engine holds (as last seen, also while it is offline). */
  imagesOn(engine: string): ImageRecord[] {
    return this.images().filter((r) => r.engines[engine]);
  }

  /** A state from before engines existed: its images belong to the default engine. */
  adoptUnownedImages(engine: string): number {
    let adopted = 0;
    for (const record of this.images()) {
      if (Object.keys(record.engines).length > 0) continue;
      record.engines[engine] = { repoTags: record.inventory.repoTags, repoDigests: record.inventory.repoDigests };
      adopted++;
    }
    if (adopted) this.changed();
    return adopted;
  }

  /** Changes to the engine section (added engines, pinned SSH host keys). */
  updateEngines(mutate: (engines: State['engines']) => void): void {
    mutate(this.db.data.engines);
    this.changed();
  }

  /** The image left Docker: it leaves the list, its scan state is kept for its return. */
  retireImage(id: string): boolean {
    const record = this.db.data.images[id];
    if (!record) return false;
    delete this.db.data.images[id];
    if (record.scan.scanStatus !== 'not_scanned') {
      this.db.data.retired[id] = { scan: record.scan, retiredAt: new Date().toISOString(), repoTags: record.inventory.repoTags };
    }
    this.changed();
    return true;
  }

  updateScan(id: string, patch: Partial<ImageScanState>): ImageRecord | undefined {
    const record = this.db.data.images[id];
    if (!record) return undefined;
    record.scan = { ...record.scan, ...patch };
    this.changed();
    return record;
  }

  /** General mutation for other modules' keys; the change is written like any other. */
  update(mutate: (state: State) => void): void {
    mutate(this.db.data);
    this.changed();
  }

  pairedOrigins(): readonly string[] {
    return this.db.data.pairedOrigins;
  }

  /** Pairing approved: this origin replaces any earlier paired one. */
  setPairedOrigin(origin: string): void {
    this.db.data.pairedOrigins = [origin];
    this.changed();
  }

  /** Resolves once everything changed so far is on disk (or the write failed: see lastWriteError). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    // A write that failed earlier (disk full) waits for its retry timer: on shutdown, try now.
    if (this.dirty && !this.readOnly) {
      this.changed();
      while (this.writing) await this.writing;
    }
  }

  /**
   * Resolves once a write holding every change made so far has finished, or once a write
   * failed (see lastWriteError). Unlike flush(), it does not wait for changes made later, so
   * a busy helper cannot keep it waiting.
   */
  persisted(): Promise<void> {
    if (this.readOnly || this.savedVersion >= this.version) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ version: this.version, resolve }));
  }

  private settleWaiters(failed: boolean): void {
    const ready = failed ? this.waiters : this.waiters.filter((w) => w.version <= this.savedVersion);
    this.waiters = failed ? [] : this.waiters.filter((w) => w.version > this.savedVersion);
    for (const w of ready) w.resolve();
  }

  private changed(): void {
    if (this.readOnly) return;
    this.version++;
    this.dirty = true;
    if (!this.writing) this.writing = this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    // Yield once so a burst of synchronous updates becomes one write.
    await new Promise((r) => setImmediate(r));
    while (this.dirty) {
      this.dirty = false;
      const version = this.version;
      try {
        await this.db.write();
        this.lastWriteError = null;
        this.savedVersion = version;
        this.settleWaiters(false);
      } catch (error) {
        this.lastWriteError = error as Error;
        this.settleWaiters(true);
        this.log(`could not write the state file: ${(error as Error).message}`);
        // The file on disk is still the last good one; try again later (or on the next change).
        this.dirty = true;
        setTimeout(() => this.dirty && !this.writing && this.changed(), this.retryMs).unref();
        break;
      }
    }
    this.writing = null;
  }
}

/** Sets one engine's names for a record; true when they changed (or the engine is new to it). */
function setRefs(record: ImageRecord, engine: string, refs: EngineRefs): boolean {
  const before = record.engines[engine];
  if (before && JSON.stringify(before) === JSON.stringify(refs)) return false;
  record.engines[engine] = refs;
  return true;
}

function unionRefs(engines: Record<string, EngineRefs>): EngineRefs {
  const all = Object.values(engines);
  return {
    repoTags: [...new Set(all.flatMap((r) => r.repoTags))].sort(),
    repoDigests: [...new Set(all.flatMap((r) => r.repoDigests))].sort(),
  };
}
