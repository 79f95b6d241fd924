/**
 * The in-place path of a scan: the image's layers read from Docker's overlay2 layer folders
 * instead of `docker save` (much faster: no export staged to disk, no tar, only the files the
 * analyzers want, several workers at once). `planLayerSource` decides per image from the
 * setting (`SHIPSHAPE_LAYER_SOURCE`), the engine's capability and the image's layer chain;
 * `auto` falls back to the export with a note saying why. While the folders are read, Docker
 * is watched: a daemon that goes away ends the scan "Docker unavailable" as an export would,
 * and an image deleted mid-read (its folders vanish) ends with that reason, not a half report.
 */
import type Dockerode from 'dockerode';
import { InPlaceReadError } from '@shipshape/analyzers';
import type { LayerSourceSetting, ScanReport } from '@shipshape/shared';
import { inPlaceCapability, type EngineForCapability } from '../docker/layer-store/capability.ts';
import { imageLayersInPlace, LayersNotInPlace, type ImageInspectForLayers } from '../docker/layer-store/image-layers.ts';
import { isUnreachable } from '../docker/engine.ts';
import { dockerFailure, dockerLost } from './docker-failure.ts';
import type { CachedLayer, InPlaceImage, PreparedAnalyzers, SeamScanOptions } from './analyzer-seam.ts';
import type { LayerCache } from './layer-cache.ts';

export type LayerSourcePlan = { kind: 'in-place'; image: InPlaceImage } | { kind: 'export'; note: string | null };

/** How often Docker is asked whether it is still there while layers are read in place. */
const WATCH_INTERVAL_MS = 500;
const PING_TIMEOUT_MS = 5000;

function notPossible(mode: LayerSourceSetting, reason: string): LayerSourcePlan {
  if (mode === 'in-place') throw new Error(`reading layers in place is not possible: ${reason} (the layer source is set to in-place; set it to auto or export to scan through docker save)`);
  return { kind: 'export', note: `layers read through docker save: in-place reading not possible (${reason})` };
}

export async function planLayerSource(mode: LayerSourceSetting, engine: EngineForCapability, info: ImageInspectForLayers): Promise<LayerSourcePlan> {
  if (mode === 'export') return { kind: 'export', note: null };
  const capability = await inPlaceCapability(engine);
  if (!capability.ok) return notPossible(mode, capability.reason);
  try {
    const { config, layers } = await imageLayersInPlace(capability.dataRoot, info);
    return { kind: 'in-place', image: { imageId: info.Id, config, layers } };
  } catch (error) {
    if (!(error instanceof LayersNotInPlace)) throw error;
    // Its files vanished between docker inspect and here: the image is being removed.
    if (!(await imageStillThere(engine.docker, info.Id))) throw removedMidScan(error.message);
    return notPossible(mode, error.message);
  }
}

export interface InPlaceScanDeps {
  docker: Dockerode;
  cache: LayerCache<CachedLayer>;
  mode: LayerSourceSetting;
}

export type InPlaceOutcome = { kind: 'scanned'; report: ScanReport; cachedLayers: number; analyzedLayers: number } | { kind: 'fallback'; note: string };

/** The image is gone from Docker (404), or still there (the caller decides), or Docker is gone. */
async function imageStillThere(docker: Dockerode, imageId: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  // A daemon that is frozen (not gone) would leave the inspect waiting for ever.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Docker did not answer an image inspect within 5 s')), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([docker.getImage(imageId).inspect(), timeout]);
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    if (error instanceof Error && error.message.includes('did not answer')) throw dockerLost('docker image inspect', error);
    throw dockerFailure('docker image inspect', error);
  } finally {
    clearTimeout(timer);
  }
}

export async function scanInPlaceWatched(
  deps: InPlaceScanDeps,
  prepared: PreparedAnalyzers,
  image: InPlaceImage,
  opts: Omit<SeamScanOptions, 'signal'> & { signal: AbortSignal },
): Promise<InPlaceOutcome> {
  const key = prepared.cacheKey;
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal.reason);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  let lost: Error | null = null;
  let pinging = false;
  const watch = setInterval(() => {
    if (pinging) return;
    pinging = true;
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('Docker did not answer a ping within 5 s')), PING_TIMEOUT_MS).unref());
    Promise.race([deps.docker.ping(), timeout])
      .catch((error: unknown) => {
        if (!isUnreachable(error) && !/did not answer/.test(String(error))) return;
        lost ??= dockerLost('reading layers in place', error);
        stop.abort(lost);
      })
      .finally(() => (pinging = false));
  }, WATCH_INTERVAL_MS);
  let cachedLayers = 0;
  let analyzedLayers = 0;
  try {
    const report = await prepared.scanInPlace(image, {
      ...opts,
      signal: stop.signal,
      cachedLayer: async (diffId) => {
        const hit = deps.cache.has(diffId, key) ? await deps.cache.get(diffId, key) : undefined;
        if (hit !== undefined) cachedLayers++;
        return hit;
      },
      onLayerResult: async (diffId, result, cacheable) => {
        analyzedLayers++;
        await opts.onLayerResult(diffId, result, cacheable);
      },
    });
    // The folders were all read: were they still the image's at the end (not deleted meanwhile)?
    if (!(await imageStillThere(deps.docker, image.imageId))) throw removedMidScan('it was gone when the reading ended');
    return { kind: 'scanned', report, cachedLayers, analyzedLayers };
  } catch (error) {
    if (opts.signal.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : error;
    if (lost) throw lost;
    if (!(error instanceof InPlaceReadError)) throw error;
    if (error.failure === 'missing' && !(await imageStillThere(deps.docker, image.imageId))) throw removedMidScan(error.message);
    // The image is still there but a folder could not be read: docker save may still manage.
    if (deps.mode === 'in-place') throw error;
    return { kind: 'fallback', note: `layers read through docker save: reading in place failed (${error.message})` };
  } finally {
    clearInterval(watch);
    opts.signal.removeEventListener('abort', onAbort);
  }
}

function removedMidScan(detail: string): Error {
  return new Error(`the image was removed from Docker while its layers were read in place (${detail}); nothing was reported for it`);
}
