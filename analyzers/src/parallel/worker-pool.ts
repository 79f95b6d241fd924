/**
 * Layer workers for a scan: a pool of worker threads, one per core (2 to 4 unless told), each
 * walking one layer (or one shard of one) at a time. Layers read in place are handed over as
 * folder paths; uncompressed layers of an export as the files they were written to while the
 * export streamed by (layer-spool.ts); compressed ones (which could be bombs: no file may grow
 * to their uncompressed size) are streamed in as they arrive, with a bounded window of bytes in
 * flight. Either way the export keeps flowing while earlier layers are still analysed. Cancel terminates the worker (a regex in the middle
 * of a large file does not look at messages) and a fresh one takes its place. Idle workers
 * are let go after a while, giving their memory back.
 */
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { InPlaceReadError, type InPlaceFailure } from '../image/overlay-layer-source.ts';
import type { ImageMetadata, ImageMetadataFindings } from '../analyzer.ts';
import type { LayerResult } from '../walker/layer-result.ts';
import type { AnalyzerRecipe, DescribedAnalyzer, FolderJob, FromWorker, SerializedError, StreamJob, TarFileJob, ToWorker } from './protocol.ts';
import { waitInLine } from './wait-in-line.ts';
import { workerBundle } from './worker-bundle.ts';

export interface LayerPoolOptions {
  /** URLs of the recipe modules the jobs will name: bundled into the worker up front. */
  recipeModules?: string[];
  /** Workers at most, at least 2; default defaultPoolSize(). */
  size?: number;
  /** Uncompressed bytes a streamed layer may have in flight to its worker. */
  streamWindowBytes?: number;
  /** Idle workers end after this long. */
  idleMs?: number;
}

/** Without a bundle: the TypeScript worker through tsx (slower to start, larger). */
const typeScriptEntry = new URL('./layer-worker-entry.mjs', import.meta.url);

const YOUNG_GENERATION_MB = 8;

/**
 * Most workers a pool has unless told otherwise. Each worker holds its own analyzers, heap
 * and read buffer, ~45-55 MB while it scans: measured on the 2 GB image of `pnpm bench
 * scan-engine`, the CLI peaked at 227 MB in place with 2 workers, 261 with 3, 316 with 4 and
 * 520 with 8 (export: 272 with 2, 325 with 3). One per core on a 16-core machine would take a
 * scan near 1 GB; those who want that speed say so (`--scan-workers`).
 */
export const DEFAULT_MAX_WORKERS = 4;

/** One worker per core, at least 2 (a long layer never holds up all the others), at most DEFAULT_MAX_WORKERS. */
export function defaultPoolSize(cores: number = availableParallelism()): number {
  return Math.min(DEFAULT_MAX_WORKERS, Math.max(2, cores));
}

export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';
}

function revive(error: SerializedError): Error {
  if (error.name === 'InPlaceReadError') return new InPlaceReadError((error.failure ?? 'io') as InPlaceFailure, error.message);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

interface Running {
  id: number;
  onMessage(message: FromWorker): void;
  onStopped(error: Error): void;
}

class PoolWorker {
  readonly worker: Worker;
  running: Running | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  stopped = false;
  /** Being terminated (its job was cancelled): never handed another job. */
  retired = false;
  /** The recipe it was last asked to build ahead of its jobs (warm). */
  warmedKey: string | null = null;

  constructor(bundle: string | null, onExit: (w: PoolWorker) => void) {
    // A small young generation: a walk's garbage is collected sooner instead of held as RSS.
    // The old generation is not capped: no legitimate scan can run out of heap because of this.
    const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    // Node 20 does not run the parent's `--import tsx` in workers: the entry registers it itself.
    this.worker = bundle ? new Worker(bundle, { resourceLimits }) : new Worker(typeScriptEntry, { workerData: { registerTypeScript: true }, resourceLimits });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      if (this.running && message.id === this.running.id) this.running.onMessage(message);
    });
    const stop = (error: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      this.running?.onStopped(error);
      this.running = null;
      onExit(this);
    };
    this.worker.on('error', (error) => stop(new WorkerStoppedError(`analysis worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => stop(new WorkerStoppedError(`analysis worker stopped (exit code ${code})`)));
  }

  post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }
}

export class LayerWorkerPool {
  readonly size: number;
  private readonly window: number;
  private readonly idleMs: number;
  private readonly idle: PoolWorker[] = [];
  private readonly all = new Set<PoolWorker>();
  private readonly waiting: Array<(w: PoolWorker) => void> = [];
  private nextId = 1;
  private closed = false;
  private readonly bundle: Promise<string | null>;

  constructor(opts: LayerPoolOptions = {}) {
    this.bundle = opts.recipeModules ? workerBundle(opts.recipeModules) : Promise.resolve(null);
    this.size = Math.max(2, opts.size ?? defaultPoolSize());
    this.window = opts.streamWindowBytes ?? 8 * 1024 * 1024;
    this.idleMs = opts.idleMs ?? 30_000;
  }

  /** Workers running now (started and not ended). */
  get started(): number {
    return this.all.size;
  }

  /** False when no worker can be started here (a warning said why): the caller analyses on its own thread. */
  async available(): Promise<boolean> {
    return (await this.bundle) !== null;
  }

  /** The script the workers run (the compiled CLI's prebuilt one, or a bundle of the sources), or null. */
  workerScript(): Promise<string | null> {
    return this.bundle;
  }

  /**
   * The recipe's analyzers (name, version, category), built by a worker: building them compiles every
   * secret rule and signature (a second or more the first time), which would stall the caller's
   * event loop. The worker keeps the set for the jobs of the same recipe key.
   */
  describe(recipe: AnalyzerRecipe, signal?: AbortSignal): Promise<DescribedAnalyzer[]> {
    const described = this.withWorker<DescribedAnalyzer[]>(signal, (worker, id, settle) => {
      worker.post({ type: 'describe', id, recipe });
      return (message) => {
        if (message.type === 'described') settle(null, message.analyzers);
        else if (message.type === 'failed') settle(revive(message.error));
      };
    });
    // A scan follows: the other workers start and build the set now, alongside this one, rather
    // than one after the other when the layers reach them (a second or so each).
    void this.warm(recipe);
    return described;
  }

  /**
   * Starts the workers not started yet (up to the pool's size) and has every idle worker build
   * the recipe's analyzers, which each keeps for the jobs of that recipe key. Nothing waits for
   * it: a job of the recipe handed to a worker still building waits for that build.
   */
  async warm(recipe: AnalyzerRecipe): Promise<void> {
    const bundle = await this.bundle;
    if (!bundle || this.closed) return;
    while (this.all.size < this.size) {
      const worker = new PoolWorker(bundle, (w) => this.forget(w));
      this.all.add(worker);
      this.release(worker);
    }
    for (const worker of this.idle) {
      if (worker.warmedKey === recipe.key) continue;
      worker.warmedKey = recipe.key;
      worker.post({ type: 'warm', recipe });
    }
  }

  /**
   * The set's checks of the image config and build history (secrets in ENV, LABEL, build
   * args), run by a worker: the rules are compiled there, and compiling them here would stall
   * the caller's event loop at the end of every first scan.
   */
  inspectImage(recipe: AnalyzerRecipe, image: ImageMetadata, signal?: AbortSignal): Promise<ImageMetadataFindings[]> {
    return this.withWorker<ImageMetadataFindings[]>(signal, (worker, id, settle) => {
      worker.post({ type: 'inspect-image', id, recipe, image });
      return (message) => {
        if (message.type === 'image-inspected') settle(null, message.results);
        else if (message.type === 'failed') settle(revive(message.error));
      };
    });
  }

  /** Walks one shard of a layer folder read in place. */
  walkFolder(recipe: AnalyzerRecipe, job: Omit<FolderJob, 'kind'>, signal?: AbortSignal): Promise<LayerResult> {
    return this.walkJob(recipe, { kind: 'folder', ...job }, signal);
  }

  /** Walks one uncompressed layer tar written to a file (layer-spool.ts). */
  walkTarFile(recipe: AnalyzerRecipe, job: Omit<TarFileJob, 'kind'>, signal?: AbortSignal): Promise<LayerResult> {
    return this.walkJob(recipe, { kind: 'tar-file', ...job }, signal);
  }

  private walkJob(recipe: AnalyzerRecipe, job: FolderJob | TarFileJob, signal?: AbortSignal): Promise<LayerResult> {
    return this.withWorker<LayerResult>(signal, (worker, id, settle) => {
      worker.post({ type: 'job', id, recipe, job });
      return (message) => {
        if (message.type === 'done') settle(null, message.result);
        else if (message.type === 'failed') settle(revive(message.error));
      };
    });
  }

  /**
   * Streams one uncompressed layer tar (of a compressed blob) to a worker and walks it there. Resolves with the
   * result; `consumed` resolves once every byte of `input` has been taken (handed over or,
   * after the walk ended at the tar's end marker, drained), so the caller can move on to the
   * next layer while this one is still analysed.
   */
  walkStream(recipe: AnalyzerRecipe, job: Omit<StreamJob, 'kind'>, input: Readable, signal?: AbortSignal): { result: Promise<LayerResult>; consumed: Promise<void> } {
    let markConsumed!: () => void;
    let failConsumed!: (error: Error) => void;
    const consumed = new Promise<void>((resolve, reject) => {
      markConsumed = resolve;
      failConsumed = reject;
    });
    consumed.catch(() => undefined);
    const result = this.withWorker<LayerResult>(signal, (worker, id, settle) => {
      let inFlight = 0;
      let walkEnded = false;
      let wake: (() => void) | null = null;
      worker.post({ type: 'job', id, recipe, job: { kind: 'stream', ...job } });
      const pump = async () => {
        for await (const chunk of input) {
          const buffer = chunk as Buffer;
          if (walkEnded) continue; // the walk stopped at the tar's end: the rest is padding
          // Copied out of the stream's pooled memory, then moved (not copied again) to the worker.
          const copy = new Uint8Array(buffer.length);
          copy.set(buffer);
          inFlight += copy.byteLength;
          worker.post({ type: 'chunk', id, data: copy }, [copy.buffer]);
          while (inFlight > this.window && !walkEnded) await new Promise<void>((r) => (wake = r));
        }
        if (!walkEnded) worker.post({ type: 'end', id });
      };
      pump().then(markConsumed, (error: Error) => {
        failConsumed(error);
        settle(error);
      });
      return (message) => {
        if (message.type === 'ack') inFlight -= message.bytes;
        else if (message.type === 'done' || message.type === 'failed') {
          walkEnded = true;
          if (message.type === 'done') settle(null, message.result);
          else settle(revive(message.error));
        }
        const w = wake;
        wake = null;
        w?.();
      };
    });
    result.catch((error: Error) => {
      failConsumed(error);
      input.destroy();
    });
    return { result, consumed };
  }

  /** Ends every worker; running jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((w) => w.worker.terminate()));
  }

  /** Runs a job on a free worker; the job's handler sees its messages until `settle`. */
  private async withWorker<T>(
    signal: AbortSignal | undefined,
    start: (worker: PoolWorker, id: number, settle: (error: Error | null, result?: T) => void) => (message: FromWorker) => void,
  ): Promise<T> {
    signal?.throwIfAborted();
    const worker = await this.acquire(signal);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const settle = (error: Error | null, result?: T) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        worker.running = null;
        if (error) reject(error);
        else resolve(result!);
        if (!worker.stopped && !worker.retired) this.release(worker);
      };
      const onAbort = () => {
        // The worker may be deep in one file: it is ended, and a fresh one replaces it on demand.
        worker.retired = true;
        settle(signal!.reason instanceof Error ? signal!.reason : new Error('scan cancelled'));
        void worker.worker.terminate();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const onMessage = start(worker, id, settle);
      worker.running = { id, onMessage, onStopped: (error) => settle(error) };
    });
  }

  private async acquire(signal?: AbortSignal): Promise<PoolWorker> {
    const bundle = await this.bundle;
    if (this.closed) throw new Error('the layer worker pool is closed');
    const free = this.idle.pop();
    if (free) {
      if (free.idleTimer) clearTimeout(free.idleTimer);
      free.idleTimer = null;
      free.worker.ref();
      return free;
    }
    if (this.all.size < this.size) {
      const worker = new PoolWorker(bundle, (w) => this.forget(w));
      this.all.add(worker);
      worker.worker.ref();
      return worker;
    }
    const worker = await waitInLine(this.waiting, signal);
    worker.worker.ref();
    return worker;
  }

  private release(worker: PoolWorker): void {
    const next = this.waiting.shift();
    if (next) {
      next(worker);
      return;
    }
    this.idle.push(worker);
    // An idle worker keeps no process alive (a CLI scan exits when done).
    worker.worker.unref();
    worker.idleTimer = setTimeout(() => void worker.worker.terminate(), this.idleMs);
    worker.idleTimer.unref();
  }

  private forget(worker: PoolWorker): void {
    void this.bundle.then((bundle) => this.replace(worker, bundle));
  }

  private replace(worker: PoolWorker, bundle: string | null): void {
    this.all.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    // A job waiting for a worker gets a fresh one in place of the one that ended.
    if (this.waiting.length > 0 && !this.closed) {
      const fresh = new PoolWorker(bundle, (w) => this.forget(w));
      this.all.add(fresh);
      this.waiting.shift()!(fresh);
    }
  }
}
