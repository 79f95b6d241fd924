/**
 * The analyzers as the scan engine uses them: `scanImage` over a `docker save` stream with a
 * per-layer result callback, and `buildReport` from cached per-layer results with no stream.
 * `prepare` fixes the user's detection settings for one scan, so the cache key and the
 * analyzers that run agree. The key names every analyzer that runs and its version (plus what
 * the versions do not cover), so bumping one or changing a setting misses the cache.
 */
import type { Readable } from 'node:stream';
import * as analyzers from '@shipshape/analyzers';
import type { Analyzer, AnalyzerCategory, ImageConfig, ScanOptions } from '@shipshape/analyzers';
import type { ScanReport } from '@shipshape/shared';
import { createClamavAnalyzer } from '../clamav/clamav-analyzer.ts';
import { builtinDetection, type DetectionSource, type LoadedDetection } from './detection-loader.ts';

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

/** The analyzers of one scan, with the user's settings of the moment. */
export interface PreparedAnalyzers {
  cacheKey: string;
  /** The analyzers that run (their failures, noted in the report, leave a category incomplete). */
  analyzers: ReadonlyArray<{ name: string; category: AnalyzerCategory }>;
  scanImage(stream: Readable, opts: SeamScanOptions): Promise<ScanReport>;
  buildReport(
    config: ImageConfigLike,
    layers: Array<{ diffId: string; result: CachedLayer }>,
    opts: { signal: AbortSignal; tags: string[]; imageId: string },
  ): Promise<ScanReport>;
}

export interface AnalyzerSeam {
  /** Throws when a user rule file cannot be read or parsed (the scan fails with that message). */
  prepare(categories: AnalyzerCategory[]): Promise<PreparedAnalyzers>;
}

export function defaultAnalyzerSeam(detection: DetectionSource = builtinDetection): AnalyzerSeam {
  return {
    async prepare(categories) {
      const d = await detection();
      // A fresh set per scan: the ClamAV analyzer remembers an unreachable clamd for one scan only.
      const list = analyzersFor(categories, d);
      const cacheKey = [`layer-result@${analyzers.LAYER_RESULT_FORMAT}`, ...list.map((a) => `${a.name}@${a.version}`).sort(), ...stamps(categories, d)].join(',');
      return {
        cacheKey,
        analyzers: list.map((a) => ({ name: a.name, category: a.category })),
        scanImage: (stream, opts) => {
          // The ClamAV analyzer notes clamd being down (then stops asking for this scan) or a file it
          // could not scan: such layers are not cached, so the next scan asks clamd again.
          let clamdDown = false;
          // `onLayerResult` is the per-layer cache hook (see /work/notes/H-to-B-scan-seam.md).
          const options: ScanOptions & { onLayerResult: (diffId: string, result: CachedLayer) => Promise<void> } = {
            analyzers: list,
            categories,
            sensitive: d.sensitive,
            malware: d.malware,
            signal: opts.signal,
            onProgress: opts.onProgress,
            tags: opts.tags,
            onLayerResult: (diffId, result) => {
              if (d.clamd && !clamdDown) clamdDown = notesOf(result).some((n) => /^ClamAV(?::| could not scan )/.test(n));
              return opts.onLayerResult(diffId, result, !clamdDown);
            },
          };
          return analyzers.scanImage(stream, options);
        },
        buildReport: (config, layers, opts) =>
          analyzers.buildReport(config, layers as Parameters<typeof analyzers.buildReport>[1], { ...opts, categories, sensitive: d.sensitive }),
      };
    },
  };
}

function analyzersFor(categories: AnalyzerCategory[], d: LoadedDetection): Analyzer[] {
  const list = analyzers.defaultAnalyzers({ categories, sensitive: d.sensitive, malware: d.malware });
  if (d.clamd && categories.includes('malware')) list.push(createClamavAnalyzer({ address: d.clamd }));
  return list;
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
