/**
 * A scan of layers read in place (Docker's overlay2 layer folders) instead of exported: every
 * layer not in the cache is walked in the layer workers, large ones in several shards at
 * once, and the report is built exactly as for an export (same layer results, same merge).
 */
import type { ScanReport } from '@shipshape/shared';
import type { Analyzer } from './analyzer.ts';
import { overlayLayerSource } from './image/overlay-layer-source.ts';
import { tarSplitSize } from './image/tar-split-size.ts';
import { walkLayer } from './walker/walk-layer.ts';
import { buildReport, type ImageConfig, type LayerWorkers, type ReportOptions, type ScanProgress } from './scan.ts';
import type { LayerResult } from './walker/layer-result.ts';
import { combineShards, shardCount } from './walker/shards.ts';

export interface LayerFolder {
  diffId: string;
  /** `<data root>/overlay2/<cache id>/diff` */
  diffDir: string;
  /** `<data root>/image/overlay2/layerdb/sha256/<chain id>/tar-split.json.gz`, when present. */
  tarSplit: string | null;
  /** The layer's size on disk as Docker counts it, to decide the shards; null when unknown. */
  bytes: number | null;
}

export interface InPlaceScanOptions extends ReportOptions {
  imageId: string;
  config: ImageConfig;
  /** Bottom layer first, one per diff_id of the config. */
  layers: LayerFolder[];
  /** Where the layers are walked; without, here (on this thread) with `analyzers`. */
  workers?: LayerWorkers;
  analyzers?: Analyzer[];
  cachedLayer?: (diffId: string) => LayerResult | undefined | Promise<LayerResult | undefined>;
  onLayerResult?: (diffId: string, result: LayerResult) => void | Promise<void>;
  onProgress?: (progress: ScanProgress) => void;
}

export async function scanInPlace(opts: InPlaceScanOptions): Promise<ScanReport> {
  const { workers } = opts;
  // One layer failing (its folder gone: the image was removed) stops the others at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = stop.signal;
  if (opts.layers.length !== opts.config.rootfs.diff_ids.length) throw new Error(`the config lists ${opts.config.rootfs.diff_ids.length} layers, ${opts.layers.length} folders given`);
  const totalBytes = opts.layers.reduce((sum, l) => sum + (l.bytes ?? 0), 0);
  let layersDone = 0;
  let bytesDone = 0;
  const progress = () => opts.onProgress?.({ layersDone, layersTotal: opts.layers.length, bytesDone: Math.min(bytesDone, totalBytes) });
  progress();
  const results = await Promise.all(
    opts.layers.map(async (layer, index): Promise<LayerResult> => {
      try {
        return await walkOne(layer, index);
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
        throw error;
      }
    }),
  ).finally(() => opts.signal?.removeEventListener('abort', onAbort));
  opts.signal?.throwIfAborted();
  return buildReport(
    opts.config,
    opts.layers.map((l, i) => ({ diffId: l.diffId, result: results[i]! })),
    opts,
  );

  async function walkOne(layer: LayerFolder, index: number): Promise<LayerResult> {
    const cached = await opts.cachedLayer?.(layer.diffId);
    if (cached !== undefined) {
      layersDone++;
      bytesDone += layer.bytes ?? 0;
      progress();
      return cached;
    }
    if (!workers) {
      const result = await walkLayer(overlayLayerSource(layer.diffDir, layer.diffId), { analyzers: opts.analyzers ?? [], layer: { diffId: layer.diffId, createdBy: null, index }, signal, hardlinkCacheBytes: 0 });
      const size = layer.tarSplit ? await tarSplitSize(layer.tarSplit) : null;
      const sized = size === null ? result : { ...result, size };
      await opts.onLayerResult?.(layer.diffId, sized);
      layersDone++;
      bytesDone += layer.bytes ?? 0;
      progress();
      return sized;
    }
    const count = shardCount(layer.bytes, workers.pool.size);
    const shards = await Promise.all(
      Array.from({ length: count }, async (_, shard) => {
        const result = await workers.pool.walkFolder(
          workers.recipe,
          { label: layer.diffId, layer: { diffId: layer.diffId, index }, diffDir: layer.diffDir, tarSplit: layer.tarSplit, shard: { index: shard, count } },
          signal,
        );
        bytesDone += (layer.bytes ?? 0) / count;
        progress();
        return result;
      }),
    );
    const result = combineShards(shards);
    await opts.onLayerResult?.(layer.diffId, result);
    layersDone++;
    progress();
    return result;
  }
}
