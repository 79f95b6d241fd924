/**
 * The scan orchestrator: one pass over a `docker save` stream. Each layer is walked as it
 * streams by, the analyzers run on the files they asked for, and at the end the layers are
 * ordered from the manifest and merged (whiteouts applied) into one report.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ScanReport, SensitiveFinding } from '@shipshape/shared';
import type { Analyzer, AnalyzerCategory } from './analyzer.ts';
import { layerCreators } from './image/archive-metadata.ts';
import { readImageArchive, type ReadArchiveOptions } from './image/read-archive.ts';
import { qualifyOsPackages } from './os/qualify-packages.ts';
import { defaultAnalyzers } from './registry.ts';
import { mergeLayers } from './walker/merge.ts';
import { combineShards, shardCount } from './walker/shards.ts';
import { walkLayer } from './walker/walk-layer.ts';
import type { LayerResult } from './walker/layer-result.ts';
import type { SensitiveAnalyzerOptions } from './sensitive/analyzer.ts';
import { keptSecretDetector } from './sensitive/secret-detector.ts';
import { scanImageConfigDetailed } from './sensitive/image-config.ts';
import type { SecretMask } from './sensitive/mask.ts';
import { redactSecretsInHistory } from './sensitive/redact.ts';
import type { MalwareAnalyzerOptions } from './malware/analyzer.ts';
import type { LayerWorkerPool } from './parallel/worker-pool.ts';
import type { AnalyzerRecipe } from './parallel/protocol.ts';
import { LayerSpool, type SpooledLayer } from './parallel/layer-spool.ts';

/** Layer workers and the recipe they build the scan's analyzers from (the same set as `analyzers`). */
export interface LayerWorkers {
  pool: LayerWorkerPool;
  recipe: AnalyzerRecipe;
}

/** The parts of the image config (`docker inspect` Config, history) a post-processor may need. */
export interface ImageConfig {
  architecture: string;
  os: string;
  config: { Env?: string[]; Labels?: Record<string, string> | null; Cmd?: string[] | null; Entrypoint?: string[] | null; [key: string]: unknown };
  history: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
  rootfs: { type: string; diff_ids: string[] };
}

export interface ScanProgress {
  /** Layer blobs fully analysed so far. */
  layersDone: number;
  /** Total layers, once the manifest has been read (real `docker save` streams write it last). */
  layersTotal: number | null;
  /** Bytes of the archive consumed so far. */
  bytesDone: number;
}

export interface PostProcessContext {
  config: ImageConfig;
  signal?: AbortSignal;
}

/** Runs after the inventory (vulnerability matching, config secrets…): returns the report to keep. */
export type ReportPostProcessor = (report: ScanReport, ctx: PostProcessContext) => ScanReport | Promise<ScanReport>;

export interface ReportOptions {
  categories?: AnalyzerCategory[];
  signal?: AbortSignal;
  postProcessors?: ReportPostProcessor[];
  /** Tags to report when the archive names none (e.g. an image saved by ID). */
  tags?: string[];
  /** Secret rules for files (default analyzers) and for the image config and history. */
  sensitive?: SensitiveAnalyzerOptions;
  /**
   * Worker threads: a scan walks its layers there (each layer handed over as it arrives,
   * written to a file or streamed, so analysis overlaps the export), and the report's check of the image config and
   * history runs there too, where the rules are compiled already (compiling them on this
   * thread would stall its event loop). Without workers, all of it runs here.
   */
  workers?: LayerWorkers;
}

export interface ScanOptions extends ReportOptions {
  /** Analyzers to run (default: `defaultAnalyzers({ categories })`). */
  analyzers?: Analyzer[];
  onProgress?: (progress: ScanProgress) => void;
  /** User signature databases for the default malware analyzer. */
  malware?: MalwareAnalyzerOptions;
  /** Fired once per walked layer with its checked diffID and plain-JSON result (a per-layer cache stores it). */
  onLayerResult?: (diffId: string, result: LayerResult) => void | Promise<void>;
  /** A cached result for a diffID; used when the diffID is known before the layer is read (OCI, uncompressed). */
  cachedLayer?: (diffId: string) => LayerResult | undefined | Promise<LayerResult | undefined>;
}

/**
 * Scans a `docker save` stream (legacy or OCI layout). Rejects, and returns no report, if the
 * archive is truncated or corrupt, a layer is missing, or the scan is cancelled.
 */
export async function scanImage(archive: Readable, opts: ScanOptions = {}): Promise<ScanReport> {
  // With workers, the analyzers are built there (from the recipe), not here.
  const analyzers = opts.workers
    ? []
    : (opts.analyzers ??
      defaultAnalyzers({ ...(opts.categories ? { categories: opts.categories } : {}), ...(opts.sensitive ? { sensitive: opts.sensitive } : {}), ...(opts.malware ? { malware: opts.malware } : {}) }));
  let blobIndex = 0;
  // With workers, an uncompressed layer (what `docker save` writes) is written to a file as it
  // streams by and walked from there, so every worker has a layer while the archive moves on
  // (a layer being walked, plus one being written, per worker at most); the file is no larger
  // than the archive's own bytes. A compressed one is streamed to a worker instead: its file
  // could be a bomb's uncompressed size.
  const workers = opts.workers;
  const spool = workers ? new LayerSpool(workers.pool.size + 1) : null;
  try {
    return await scanArchive(archive, opts, (source, blobPath, stream, compression) => {
      // Blob order in the archive is not layer order; the real index and diffID are known only
      // at the end, so analyzers see the blob path as the layer's name while it streams.
      const layer = { diffId: blobPath, createdBy: null, index: blobIndex++ };
      if (workers && spool && compression === 'none') {
        // A large layer is shared by several workers, as in place: each reads the headers and
        // only its own files' contents from the file (image/tar-file-layer-source.ts).
        const walk = async (file: SpooledLayer) => {
          const count = shardCount(file.bytes, workers.pool.size);
          const shard = (index: number) => workers.pool.walkTarFile(workers.recipe, { label: blobPath, layer, fd: file.fd, shard: { index, count } }, opts.signal);
          // Every walk is over before the file (its descriptor) is closed, even when one fails.
          const walks = await Promise.allSettled(Array.from({ length: count }, (_, index) => shard(index)));
          const failed = walks.find((w) => w.status === 'rejected');
          if (failed) throw failed.reason;
          return combineShards(walks.map((w) => (w as PromiseFulfilledResult<LayerResult>).value));
        };
        return spool.spool(stream, walk, opts.signal);
      }
      if (workers) return workers.pool.walkStream(workers.recipe, { label: blobPath, layer }, stream, opts.signal).result;
      return walkLayer(source, { analyzers, layer, ...(opts.signal ? { signal: opts.signal } : {}) });
    });
  } finally {
    await spool?.close();
  }
}

async function scanArchive(archive: Readable, opts: ScanOptions, onLayer: ReadArchiveOptions<LayerResult>['onLayer']): Promise<ScanReport> {
  const image = await readImageArchive<LayerResult>(archive, {
    onLayer,
    onLayerDone: async (diffId, size, result) => {
      result.size = size;
      await opts.onLayerResult?.(diffId, result);
    },
    ...(opts.cachedLayer ? { cachedLayer: opts.cachedLayer } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const report = await buildReport(
    image.config,
    image.layers.map((l) => ({ diffId: l.diffId, result: { ...l.result, size: l.size } })),
    { ...opts, imageId: image.imageId, ...(image.tags.length > 0 ? { tags: image.tags } : {}) },
  );
  return { ...report, notes: [...image.notes, ...report.notes] };
}

/**
 * The report from an image config and its layers' results, bottom layer first: what
 * `scanImage` does after reading the archive, and what a per-layer cache replays with no
 * archive at all. `imageId` should be Docker's (the config digest); without it, a digest of
 * the config as given.
 */
export async function buildReport(
  config: ImageConfig,
  layers: Array<{ diffId: string; result: LayerResult }>,
  opts: ReportOptions & { imageId?: string } = {},
): Promise<ScanReport> {
  if (layers.length !== config.rootfs.diff_ids.length) throw new Error(`the config lists ${config.rootfs.diff_ids.length} layers, ${layers.length} given`);
  const creators = layerCreators(config);
  const refs = layers.map((l, i) => ({ diffId: l.diffId, createdBy: creators[i] ?? null }));
  const merged = mergeLayers(layers.map((l, i) => ({ ref: refs[i]!, result: l.result })));
  const categories = opts.categories ? new Set(opts.categories) : null;
  const configSecrets = !categories || categories.has('sensitive') ? await imageMetadataSecrets(config, opts) : null;
  let report: ScanReport = {
    image: {
      id: opts.imageId ?? `sha256:${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`,
      tags: opts.tags ?? [],
      os: merged.os,
      architecture: config.architecture,
      layers: layers.map((l, i) => ({ ...refs[i]!, ...(l.result.size !== undefined ? { size: l.result.size } : {}) })),
    },
    packages: sortPackages(qualifyOsPackages(merged.packages, merged.os)),
    // Env, Labels, Cmd and build history are not files: scanned here, with their build step.
    ...(configSecrets ? { sensitive: [...merged.sensitive, ...configSecrets.findings] } : {}),
    ...(!categories || categories.has('malware') ? { malware: merged.malware } : {}),
    notes: merged.notes,
  };
  // Secrets in build steps are masked wherever the report repeats those steps.
  if (configSecrets) report = redactSecretsInHistory(report, configSecrets.secrets, configSecrets.mask);
  for (const post of opts.postProcessors ?? []) {
    opts.signal?.throwIfAborted();
    report = await post(report, { config, ...(opts.signal ? { signal: opts.signal } : {}) });
  }
  return report;
}

/** Secrets in the image config and build history, with the masks the report shows for them. */
async function imageMetadataSecrets(config: ImageConfig, opts: ReportOptions): Promise<{ findings: SensitiveFinding[]; secrets: string[]; mask: SecretMask }> {
  const { Env, Labels, Cmd, Entrypoint } = config.config;
  const image = { config: { Env, Labels, Cmd, Entrypoint }, history: config.history, diffIds: config.rootfs.diff_ids };
  if (opts.workers) {
    const results = await opts.workers.pool.inspectImage(opts.workers.recipe, image, opts.signal);
    const masks = new Map(results.flatMap((r) => Object.entries(r.masks)));
    return { findings: results.flatMap((r) => r.sensitive), secrets: [...masks.keys()], mask: (secret) => masks.get(secret) ?? '***' };
  }
  const detector = keptSecretDetector(opts.sensitive);
  return { ...scanImageConfigDetailed(image.config, image.history, image.diffIds, detector), mask: detector.mask };
}

function sortPackages(packages: ScanReport['packages']): ScanReport['packages'] {
  const key = (p: ScanReport['packages'][number]) => [p.ecosystem, p.name, p.version, p.paths[0] ?? ''];
  return [...packages].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}
