/**
 * An image's layers in Docker's overlay2 layer store, read in place: each diffID's chain ID
 * (`sha256(parent chain ID + " " + diffID)`), its layer database entry
 * (`image/overlay2/layerdb/sha256/<chain>/cache-id` → `overlay2/<cache id>/diff`, plus the
 * tar-split record and the size), and the image config exactly as `docker save` would write
 * it (`image/overlay2/imagedb/content/sha256/<image id>`, checked against the ID). The top
 * folder must be the one the engine itself names (`GraphDriver.Data.UpperDir`): proof that
 * this is that engine's store, not another daemon's folder at the same path.
 */
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseImageConfig, type ImageConfig, type LayerFolder } from '@shipshape/analyzers';

/** The layers cannot be read in place; `reason` says why (the export path is used instead). */
export class LayersNotInPlace extends Error {
  override name = 'LayersNotInPlace';
}

export interface ImageInspectForLayers {
  Id: string;
  RootFS?: { Layers?: string[] };
  GraphDriver?: { Name?: string; Data?: Record<string, string> | null };
}

export interface ImageLayersInPlace {
  config: ImageConfig;
  layers: LayerFolder[];
}

export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const parent = out.at(-1);
    out.push(parent ? `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}` : diffId);
  }
  return out;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new LayersNotInPlace(`${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

const exists = (path: string) => access(path).then(() => true, () => false);

export async function imageLayersInPlace(dataRoot: string, info: ImageInspectForLayers): Promise<ImageLayersInPlace> {
  if (info.GraphDriver?.Name !== 'overlay2') throw new LayersNotInPlace(`the image is stored by the ${info.GraphDriver?.Name ?? 'unknown'} driver`);
  const diffIds = info.RootFS?.Layers ?? [];
  if (!/^sha256:[0-9a-f]{64}$/.test(info.Id)) throw new LayersNotInPlace(`unexpected image ID ${info.Id}`);
  const configPath = join(dataRoot, 'image', 'overlay2', 'imagedb', 'content', 'sha256', info.Id.slice('sha256:'.length));
  let configBytes: Buffer;
  try {
    configBytes = await readFile(configPath);
  } catch (error) {
    throw new LayersNotInPlace(`image config ${configPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (`sha256:${createHash('sha256').update(configBytes).digest('hex')}` !== info.Id) throw new LayersNotInPlace(`image config ${configPath} does not hash to the image ID`);
  const config = parseImageConfig(configBytes, configPath);
  if (config.rootfs.diff_ids.join() !== diffIds.join()) throw new LayersNotInPlace('the image config and docker inspect list different layers');

  const layerdb = join(dataRoot, 'image', 'overlay2', 'layerdb', 'sha256');
  const layers = await Promise.all(
    chainIds(diffIds).map(async (chain, i): Promise<LayerFolder> => {
      const entry = join(layerdb, chain.slice('sha256:'.length));
      const cacheId = (await readText(join(entry, 'cache-id'), 'layer database entry')).trim();
      if (!/^[0-9a-f]{64}$/.test(cacheId)) throw new LayersNotInPlace(`unexpected cache-id ${JSON.stringify(cacheId)} in ${entry}`);
      const tarSplit = join(entry, 'tar-split.json.gz');
      const size = Number((await readFile(join(entry, 'size'), 'utf8').catch(() => '')).trim());
      return { diffId: diffIds[i]!, diffDir: join(dataRoot, 'overlay2', cacheId, 'diff'), tarSplit: (await exists(tarSplit)) ? tarSplit : null, bytes: Number.isFinite(size) && size > 0 ? size : null };
    }),
  );
  const upper = info.GraphDriver?.Data?.UpperDir;
  const top = layers.at(-1)?.diffDir;
  if (top && (!upper || resolve(upper) !== resolve(top))) throw new LayersNotInPlace(`the engine names ${upper ?? 'no'} top layer folder, the layer store here says ${top}`);
  return { config, layers };
}
