/**
 * The analyzers as the scan engine uses them: `scanImage` over a `docker save` stream with a
 * per-layer result callback, and `buildReport` from cached per-layer results with no stream.
 * The cache key names every analyzer that runs and its version, so bumping one misses the cache.
 */
import type { Readable } from 'node:stream';
import * as analyzers from '@shipshape/analyzers';
import type { AnalyzerCategory, ImageConfig, ScanOptions } from '@shipshape/analyzers';
import type { ScanReport } from '@shipshape/shared';

/** One layer's analysis as the walker returns it (analyzers/src/walker/layer-result.ts): plain JSON. */
export type CachedLayer = unknown;
export type ImageConfigLike = ImageConfig;

export interface SeamScanOptions {
  categories: AnalyzerCategory[];
  signal: AbortSignal;
  tags: string[];
  onProgress: NonNullable<ScanOptions['onProgress']>;
  onLayerResult: (diffId: string, result: CachedLayer) => Promise<void>;
}

export interface AnalyzerSeam {
  cacheKey(categories: AnalyzerCategory[]): string;
  scanImage(stream: Readable, opts: SeamScanOptions): Promise<ScanReport>;
  /** Undefined until the analyzers export it: then every scan streams `docker save`. */
  buildReport?: (
    config: ImageConfigLike,
    layers: Array<{ diffId: string; result: CachedLayer }>,
    opts: { categories: AnalyzerCategory[]; signal: AbortSignal; tags: string[]; imageId: string },
  ) => Promise<ScanReport>;
}

export function defaultAnalyzerSeam(): AnalyzerSeam {
  const exported = analyzers as unknown as Record<string, unknown>;
  const buildReport = exported.buildReport as AnalyzerSeam['buildReport'] | undefined;
  return {
    cacheKey: (categories) =>
      analyzers
        .defaultAnalyzers({ categories })
        .map((a) => `${a.name}@${a.version}`)
        .sort()
        .join(','),
    scanImage: (stream, opts) => {
      // `onLayerResult` is the per-layer cache hook (see /work/notes/H-to-B-scan-seam.md);
      // passed through a widened options object so this compiles before and after it lands.
      const options: ScanOptions & Pick<SeamScanOptions, 'onLayerResult'> = {
        analyzers: analyzers.defaultAnalyzers({ categories: opts.categories }),
        categories: opts.categories,
        signal: opts.signal,
        onProgress: opts.onProgress,
        tags: opts.tags,
        onLayerResult: opts.onLayerResult,
      };
      return analyzers.scanImage(stream, options);
    },
    ...(buildReport ? { buildReport } : {}),
  };
}
