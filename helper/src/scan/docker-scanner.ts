/**
 * The real ImageScanner: inspect the image, answer from the per-layer cache when every layer
 * is there (no `docker save` at all), otherwise stream `docker save` through the analyzers,
 * caching each layer's result by diffID + analyzer versions. The abort signal destroys the
 * export stream and is handed to the analyzers, so cancel stops both at once.
 */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { RiskCategory, ScanReport } from '@shipshape/shared';
import type { AnalyzerCategory } from '@shipshape/analyzers';
import { dockerFailure, dockerLost, isLostConnection } from './docker-failure.ts';
import type { LayerCache } from './layer-cache.ts';
import type { ImageScanner, ScanJob, ScanJobResult } from './scanner.ts';
import type { AnalyzerSeam, CachedLayer, ImageConfigLike } from './analyzer-seam.ts';
import { categoryGaps } from './category-gaps.ts';

export interface DockerScannerDeps {
  docker: Dockerode;
  cache: LayerCache<CachedLayer>;
  analyzers: AnalyzerSeam;
  /** Adds vulnerabilities (and malicious packages) from the vulnerability database; throws when there is none. */
  matchVulnerabilities?: (report: ScanReport, signal: AbortSignal) => Promise<ScanReport>;
  log?: (line: string) => void;
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
    const image = deps.docker.getImage(job.imageId);
    const info = await image.inspect().catch((error: unknown) => {
      throw dockerFailure('docker inspect', error);
    });
    const diffIds: string[] = info.RootFS?.Layers ?? [];
    const tags = info.RepoTags ?? [];
    const categories = analyzerCategories(job.categories);
    const prepared = await deps.analyzers.prepare(categories);
    const key = prepared.cacheKey;
    const bytesTotal = info.Size ?? null;
    job.onProgress({ phase: 'exporting', layersDone: 0, layersTotal: diffIds.length, bytesDone: 0, bytesTotal });

    let report: ScanReport;
    let cachedLayers = 0;
    let analyzedLayers = 0;
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
      const stream = (await image.get().catch((error: unknown) => {
        throw dockerFailure('docker save', error);
      })) as unknown as Readable;
      const onAbort = () => stream.destroy(new Error('scan aborted'));
      job.signal.addEventListener('abort', onAbort, { once: true });
      let streamError: unknown = null;
      stream.once('error', (error) => (streamError ??= error));
      try {
        report = await prepared.scanImage(stream, {
          signal: job.signal,
          tags,
          onProgress: (p) =>
            job.onProgress({ phase: 'analyzing', layersDone: p.layersDone, layersTotal: p.layersTotal ?? diffIds.length, bytesDone: p.bytesDone, bytesTotal }),
          onLayerResult: async (diffId, result, cacheable) => {
            analyzedLayers++;
            if (!cacheable) return;
            await deps.cache.set(diffId, key, result).catch((error: unknown) => deps.log?.(`layer cache write failed: ${String(error)}`));
          },
        });
      } catch (error) {
        // The analyzers see only a broken tar stream; say that Docker went away instead.
        if (!job.signal.aborted && streamError && isLostConnection(streamError)) throw dockerLost('docker save', streamError);
        throw error;
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        stream.destroy();
      }
      if (analyzedLayers === 0) analyzedLayers = diffIds.length;
    }
    job.signal.throwIfAborted();
    report = { ...report, image: { ...report.image, id: job.imageId, tags } };

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
    return { report, cachedLayers, analyzedLayers, dockerSaveSkipped: cachedLayers === diffIds.length && diffIds.length > 0, categoryErrors, ...(matchError ? { matchError } : {}) };
  };
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

