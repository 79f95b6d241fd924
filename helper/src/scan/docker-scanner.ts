/**
 * The real ImageScanner: inspect the image, answer from the per-layer cache when every layer
 * is there (no `docker save` at all), otherwise read the layers in place when the engine
 * allows it (in-place-scan.ts) or stream `docker save` through the analyzers, caching each
 * layer's result by diffID + analyzer versions. The abort signal destroys the export stream
 * and is handed to the analyzers, so cancel stops both at once.
 */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { LayerSourceSetting, LayerSourceUsed, RiskCategory, ScanReport } from '@shipshape/shared';
import type { AnalyzerCategory } from '@shipshape/analyzers';
import { dockerFailure, dockerLost, isLostConnection } from './docker-failure.ts';
import type { LayerCache } from './layer-cache.ts';
import type { ImageScanner, ScanJob, ScanJobResult } from './scanner.ts';
import type { AnalyzerSeam, CachedLayer, ImageConfigLike, PreparedAnalyzers } from './analyzer-seam.ts';
import { categoryGaps } from './category-gaps.ts';
import type { DockerTarget } from '../docker/client.ts';
import { planLayerSource, scanInPlaceWatched } from './in-place-scan.ts';

export interface DockerScannerDeps {
  docker: Dockerode;
  cache: LayerCache<CachedLayer>;
  analyzers: AnalyzerSeam;
  /** Adds vulnerabilities (and malicious packages) from the vulnerability database; throws when there is none. */
  matchVulnerabilities?: (report: ScanReport, signal: AbortSignal) => Promise<ScanReport>;
  log?: (line: string) => void;
  /** `auto` (default): read layers in place when this engine allows it, else export; `in-place`: only in place; `export`: always `docker save`. */
  layerSource?: LayerSourceSetting;
  /** Where `docker` points: in-place reading needs a local engine. Without it, always export. */
  target?: DockerTarget;
}

/** Analyzer categories each risk category needs; `os` and `packages` always run (the inventory). */
export function analyzerCategories(categories: RiskCategory[]): AnalyzerCategory[] {
  const out = new Set<AnalyzerCategory>(['os', 'packages']);
  if (categories.includes('sensitive')) out.add('sensitive');
  if (categories.includes('malware')) out.add('malware');
  return [...out];
}

export function createDockerScanner(deps: DockerScannerDeps): ImageScanner {
  return async (job: ScanJob): Promise<ScanJobResult> => {
    const categories = analyzerCategories(job.categories);
    // The analyzers are built (in the workers) while Docker is asked about the image.
    const preparing = deps.analyzers.prepare(categories);
    preparing.catch(() => undefined);
    const image = deps.docker.getImage(job.imageId);
    const info = await image.inspect().catch((error: unknown) => {
      throw dockerFailure('docker inspect', error);
    });
    const diffIds: string[] = info.RootFS?.Layers ?? [];
    const tags = info.RepoTags ?? [];
    const prepared = await preparing;
    const key = prepared.cacheKey;
    const bytesTotal = info.Size ?? null;
    job.onProgress({ phase: 'exporting', layersDone: 0, layersTotal: diffIds.length, bytesDone: 0, bytesTotal });

    let report: ScanReport;
    let cachedLayers = 0;
    let analyzedLayers = 0;
    let layerSource: LayerSourceUsed = 'cache';
    let layerSourceNote: string | null = null;
    const allCached = diffIds.length > 0 && diffIds.every((d) => deps.cache.has(d, key));
    const cached = allCached ? await Promise.all(diffIds.map((d) => deps.cache.get(d, key))) : [];
    if (allCached && cached.every((c) => c !== undefined)) {
      const config = await imageConfig(deps.docker, job.imageId, info);
      report = await prepared.buildReport(config, diffIds.map((diffId, i) => ({ diffId, result: cached[i]! })), {
        signal: job.signal,
        tags,
        imageId: job.imageId,
      });
      cachedLayers = diffIds.length;
      job.onProgress({ phase: 'analyzing', layersDone: diffIds.length, layersTotal: diffIds.length, bytesDone: bytesTotal ?? 0, bytesTotal });
    } else {
      const layers = await readLayers(deps, job, info, prepared, bytesTotal);
      ({ report, cachedLayers, analyzedLayers, layerSource, layerSourceNote } = layers);
    }
    job.signal.throwIfAborted();
    report = { ...report, image: { ...report.image, id: job.imageId, tags }, layerSource };

    const categoryErrors: ScanJobResult['categoryErrors'] = categoryGaps(report, prepared.analyzers, job.categories);
    let matchError: string | undefined;
    if (job.categories.includes('vulnerabilities')) {
      job.onProgress({ phase: 'matching', layersDone: diffIds.length, layersTotal: diffIds.length, bytesDone: bytesTotal ?? 0, bytesTotal });
      if (!deps.matchVulnerabilities) matchError = 'no vulnerability data: run a data update (POST /api/data-update)';
      else {
        try {
          report = await deps.matchVulnerabilities(report, job.signal);
        } catch (error) {
          job.signal.throwIfAborted();
          matchError = error instanceof Error ? error.message : String(error);
        }
      }
    }
    if (!job.categories.includes('sensitive')) delete report.sensitive;
    if (!job.categories.includes('malware')) delete report.malware;
    return { report, cachedLayers, analyzedLayers, dockerSaveSkipped: layerSource === 'cache', layerSource, layerSourceNote, categoryErrors, ...(matchError ? { matchError } : {}) };
  };
}

interface LayersRead {
  report: ScanReport;
  cachedLayers: number;
  analyzedLayers: number;
  layerSource: LayerSourceUsed;
  layerSourceNote: string | null;
}

/** Some layer not cached: in place when the setting and the engine allow, else (or when that fails in `auto`) by export. */
async function readLayers(deps: DockerScannerDeps, job: ScanJob, info: Dockerode.ImageInspectInfo, prepared: PreparedAnalyzers, bytesTotal: number | null): Promise<LayersRead> {
  const diffIds: string[] = info.RootFS?.Layers ?? [];
  const tags = info.RepoTags ?? [];
  const onProgress = (p: { layersDone: number; layersTotal: number | null; bytesDone: number }) =>
    job.onProgress({ phase: 'analyzing', layersDone: p.layersDone, layersTotal: p.layersTotal ?? diffIds.length, bytesDone: p.bytesDone, bytesTotal });
  const cacheResult = async (diffId: string, result: CachedLayer, cacheable: boolean) => {
    if (!cacheable) return;
    await deps.cache.set(diffId, prepared.cacheKey, result).catch((error: unknown) => deps.log?.(`layer cache write failed: ${String(error)}`));
  };
  const mode = deps.target ? (deps.layerSource ?? 'auto') : 'export';
  const plan = await planLayerSource(mode, { docker: deps.docker, target: deps.target ?? { kind: 'unix', socketPath: '' } }, info);
  let note = plan.kind === 'export' ? plan.note : null;
  if (plan.kind === 'in-place') {
    job.onLayerSource?.('in-place', null);
    const outcome = await scanInPlaceWatched({ docker: deps.docker, cache: deps.cache, mode }, prepared, plan.image, { signal: job.signal, tags, onProgress, onLayerResult: cacheResult });
    if (outcome.kind === 'scanned') return { report: outcome.report, cachedLayers: outcome.cachedLayers, analyzedLayers: outcome.analyzedLayers, layerSource: 'in-place', layerSourceNote: null };
    note = outcome.note;
    deps.log?.(`scan ${job.imageId.slice(7, 19)}: ${note}`);
  }
  job.onLayerSource?.('export', note);
  let analyzedLayers = 0;
  const stream = (await deps.docker.getImage(job.imageId).get().catch((error: unknown) => {
    throw dockerFailure('docker save', error);
  })) as unknown as Readable;
  const onAbort = () => stream.destroy(new Error('scan aborted'));
  job.signal.addEventListener('abort', onAbort, { once: true });
  let streamError: unknown = null;
  stream.once('error', (error) => (streamError ??= error));
  try {
    const report = await prepared.scanImage(stream, {
      signal: job.signal,
      tags,
      onProgress,
      onLayerResult: async (diffId, result, cacheable) => {
        analyzedLayers++;
        await cacheResult(diffId, result, cacheable);
      },
    });
    return { report, cachedLayers: 0, analyzedLayers: analyzedLayers || diffIds.length, layerSource: 'export', layerSourceNote: note };
  } catch (error) {
    // The analyzers see only a broken tar stream; say that Docker went away instead.
    if (!job.signal.aborted && streamError && isLostConnection(streamError)) throw dockerLost('docker save', streamError);
    throw error;
  } finally {
    job.signal.removeEventListener('abort', onAbort);
    stream.destroy();
  }
}

/** The image config the analyzers' post-processors read, from the Engine API (no export needed). */
async function imageConfig(docker: Dockerode, id: string, info: Dockerode.ImageInspectInfo): Promise<ImageConfigLike> {
  const history = (await docker.getImage(id).history()) as Array<{ Created: number; CreatedBy: string; Size: number; Comment: string }>;
  return {
    architecture: info.Architecture,
    os: info.Os,
    config: (info.Config ?? {}) as unknown as ImageConfigLike['config'],
    // The Engine API lists history newest first; the config lists it oldest first.
    history: [...history].reverse().map((h) => ({
      created: new Date(h.Created * 1000).toISOString(),
      created_by: h.CreatedBy,
      empty_layer: h.Size === 0,
      comment: h.Comment,
    })),
    rootfs: { type: 'layers', diff_ids: info.RootFS?.Layers ?? [] },
  };
}

