/**
 * The analyzers as the scan engine uses them: `scanImage` over a `docker save` stream and
 * `scanInPlace` over layer folders read in place, both with a per-layer result callback and
 * the layers walked in worker threads (off the event loop), and `buildReport` from cached
 * per-layer results with no stream. `prepare` fixes the user's detection settings for one
 * scan, so the cache key and the analyzers that run agree. The key names every analyzer that
 * runs and its version (plus what the versions do not cover), so bumping one or changing a
 * setting misses the cache. Both paths give the same layer results, so the cache serves both.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as analyzers from '@shipshape/analyzers';
import type { AnalyzerCategory, AnalyzerRecipe, ImageConfig, LayerFolder, ScanOptions } from '@shipshape/analyzers';
import type { ScanReport } from '@shipshape/shared';
import { builtinDetection, type DetectionSource, type LoadedDetection } from './detection-loader.ts';
import { analyzersFor, type WorkerAnalyzerOptions } from './worker-analyzers.ts';

/** One layer's analysis as the walker returns it (analyzers/src/walker/layer-result.ts): plain JSON. */
export type CachedLayer = unknown;
export type ImageConfigLike = ImageConfig;

export interface SeamScanOptions {
  signal: AbortSignal;
  tags: string[];
  onProgress: NonNullable<ScanOptions['onProgress']>;
  /** `cacheable` is false for a layer analyzed while clamd was unreachable: it lacks ClamAV verdicts. */
  onLayerResult: (diffId: string, result: CachedLayer, cacheable: boolean) => Promise<void>;
}

export interface InPlaceImage {
  imageId: string;
  config: ImageConfigLike;
  layers: LayerFolder[];
}

/** The analyzers of one scan, with the user's settings of the moment. */
export interface PreparedAnalyzers {
  cacheKey: string;
  /** The analyzers that run (their failures, noted in the report, leave a category incomplete). */
  analyzers: ReadonlyArray<{ name: string; category: AnalyzerCategory }>;
  scanImage(stream: Readable, opts: SeamScanOptions): Promise<ScanReport>;
  /** Layers read in place; `cachedLayer` answers the layers already analysed (no walk for them). */
  scanInPlace(image: InPlaceImage, opts: SeamScanOptions & { cachedLayer: (diffId: string) => Promise<CachedLayer | undefined> }): Promise<ScanReport>;
  buildReport(
    config: ImageConfigLike,
    layers: Array<{ diffId: string; result: CachedLayer }>,
    opts: { signal: AbortSignal; tags: string[]; imageId: string },
  ): Promise<ScanReport>;
}

export interface AnalyzerSeam {
  /** Throws when a user rule file cannot be read or parsed (the scan fails with that message). */
  prepare(categories: AnalyzerCategory[]): Promise<PreparedAnalyzers>;
  /** Where layers are analysed, for the helper's log: whether API requests can be slowed by a scan. */
  describeWorkers?(): Promise<string>;
}

const workerAnalyzersModule = new URL('./worker-analyzers.ts', import.meta.url).href;

/** `workers`: how many layer worker threads (`serve --scan-workers`); default the pool's own. */
export function defaultAnalyzerSeam(detection: DetectionSource = builtinDetection, options: { workers?: number } = {}): AnalyzerSeam {
  // Made now: the worker bundle is built while the helper starts, not during the first scan.
  const pool = new analyzers.LayerWorkerPool({ recipeModules: [workerAnalyzersModule], ...(options.workers ? { size: options.workers } : {}) });
  const layerWorkers = () => pool;
  // The analyzers run in the workers; the key names them and their versions, so they are
  // built there too (compiling every rule and signature would stall the event loop for a
  // second or more), once per detection settings and categories. Without workers, here.
  // Their names and categories come along (a category whose analyzer failed is not checked).
  type Built = { key: string; names: Array<{ name: string; category: AnalyzerCategory }> };
  const built = new WeakMap<LoadedDetection, Map<string, Promise<Built>>>();
  const loadIds = new WeakMap<LoadedDetection, string>();
  const loadId = (d: LoadedDetection) => {
    let id = loadIds.get(d);
    if (!id) loadIds.set(d, (id = randomUUID()));
    return id;
  };
  const builtFor = (categories: AnalyzerCategory[], d: LoadedDetection, recipe: AnalyzerRecipe) => {
    let byCategories = built.get(d);
    if (!byCategories) built.set(d, (byCategories = new Map()));
    const id = [...categories].sort().join(',');
    let hit = byCategories.get(id);
    if (hit === undefined) {
      hit = (async () => {
        const list = (await pool.available()) ? await pool.describe(recipe) : analyzersFor(categories, d);
        const key = [`layer-result@${analyzers.LAYER_RESULT_FORMAT}`, ...list.map((a) => `${a.name}@${a.version}`).sort(), ...stamps(categories, d)].join(',');
        return { key, names: list.map((a) => ({ name: a.name, category: a.category })) };
      })();
      const made = hit;
      byCategories.set(id, made);
      made.catch(() => byCategories.get(id) === made && byCategories.delete(id));
    }
    return hit;
  };
  return {
    async describeWorkers() {
      const script = await pool.workerScript();
      return script ? `layers are analysed in up to ${pool.size} worker threads (${script})` : 'layers are analysed on the event loop: no layer worker could start (see the warning above)';
    },
    async prepare(categories) {
      const d = await detection();
      const options: WorkerAnalyzerOptions = { categories, detection: d.recipe };
      // A set per loaded detection (reloaded whenever a setting, rule file or signature file changes) and categories.
      const setKey = `${loadId(d)}:${[...categories].sort().join(',')}`;
      const { key: cacheKey, names } = await builtFor(categories, d, { module: workerAnalyzersModule, options, key: setKey });
      // Workers keep a built set per key; with clamd, a fresh set per scan: the ClamAV analyzer
      // remembers an unreachable clamd for one scan only.
      const recipe: AnalyzerRecipe = { module: workerAnalyzersModule, options, key: d.clamd ? `${setKey}#${randomUUID()}` : setKey };
      // Workers let go while the helper was idle start again, and build the set, before the layers reach them.
      void pool.warm(recipe);
      // The ClamAV analyzer notes clamd being down (then stops asking for this scan) or a file it
      // could not scan: such layers are not cached, so the next scan asks clamd again.
      let clamdDown = false;
      const layerResult = (opts: SeamScanOptions) => (diffId: string, result: CachedLayer) => {
        if (d.clamd && !clamdDown) clamdDown = notesOf(result).some((n) => /^ClamAV(?::| could not scan )/.test(n));
        return opts.onLayerResult(diffId, result, !clamdDown);
      };
      return {
        cacheKey,
        analyzers: names,
        scanImage: async (stream, opts) => {
          const workers = (await pool.available()) ? { pool: layerWorkers(), recipe } : null;
          // `onLayerResult` is the per-layer cache hook (see /work/notes/H-to-B-scan-seam.md).
          const scanOptions: ScanOptions & { onLayerResult: (diffId: string, result: CachedLayer) => Promise<void> } = {
            categories,
            sensitive: d.sensitive,
            malware: d.malware,
            signal: opts.signal,
            onProgress: opts.onProgress,
            tags: opts.tags,
            onLayerResult: layerResult(opts),
            // Without workers (the compiled CLI), the analyzers run here, as before workers.
            ...(workers ? { workers } : { analyzers: analyzersFor(categories, d) }),
          };
          return analyzers.scanImage(stream, scanOptions);
        },
        scanInPlace: async (image, opts) =>
          analyzers.scanInPlace({
            ...image,
            categories,
            sensitive: d.sensitive,
            signal: opts.signal,
            tags: opts.tags,
            onProgress: opts.onProgress,
            onLayerResult: layerResult(opts),
            cachedLayer: opts.cachedLayer as (diffId: string) => Promise<analyzers.LayerResult | undefined>,
            ...((await pool.available()) ? { workers: { pool: layerWorkers(), recipe } } : { analyzers: analyzersFor(categories, d) }),
          }),
        // Every layer cached: the config and history checks still run in a worker (their rules are compiled there).
        buildReport: async (config, layers, opts) =>
          analyzers.buildReport(config, layers as Parameters<typeof analyzers.buildReport>[1], {
            ...opts,
            categories,
            sensitive: d.sensitive,
            ...((await pool.available()) ? { workers: { pool: layerWorkers(), recipe } } : {}),
          }),
      };
    },
  };
}

function stamps(categories: AnalyzerCategory[], d: LoadedDetection): string[] {
  return [
    ...(categories.includes('sensitive') && d.secretsStamp ? [d.secretsStamp] : []),
    ...(categories.includes('malware') && d.clamdStamp ? [d.clamdStamp] : []),
  ];
}

function notesOf(result: CachedLayer): string[] {
  const notes = (result as { notes?: unknown } | null)?.notes;
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : [];
}
