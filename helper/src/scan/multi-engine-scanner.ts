/**
 * The ImageScanner across engines: each image ID is exported from one engine that holds it
 * (engine-choice.ts), through a Docker scanner per engine that all share the one layer cache.
 * When that engine goes away mid-export, the next engine holding the image takes over.
 */
import type Dockerode from 'dockerode';
import { isLocalTarget, type DockerTarget } from '../docker/target.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { StateStore } from '../state/store.ts';
import { exportOrder } from './engine-choice.ts';
import type { ImageScanner, ScanJob, ScanJobResult } from './scanner.ts';

export interface MultiEngineScannerDeps {
  inventory: Inventory;
  store: StateStore;
  /** A Docker scanner reading from this engine's client (shares the cache with the others); `target` lets it read layers in place. */
  scannerFor(docker: Dockerode, target: DockerTarget | null): ImageScanner;
  /** Whether the helper can read this engine's layer store in place (asked only when several engines could export). */
  canReadLayerStore?(engine: string): Promise<boolean>;
  log?: (line: string) => void;
}

export function createMultiEngineScanner(deps: MultiEngineScannerDeps): ImageScanner {
  const scanners = new Map<string, { client: Dockerode; scan: ImageScanner }>();
  const scannerOf = (name: string): ImageScanner | null => {
    const client = deps.inventory.watcher(name)?.engine.exportClient?.();
    if (!client) return null;
    const known = scanners.get(name);
    if (known?.client === client) return known.scan;
    const scan = deps.scannerFor(client, deps.inventory.watcher(name)?.meta.target ?? null);
    scanners.set(name, { client, scan });
    return scan;
  };

  // A layer store we cannot read (or a question that fails) only means: prefer another engine.
  const canReadInPlace = async (name: string): Promise<boolean> =>
    deps.canReadLayerStore ? deps.canReadLayerStore(name).catch(() => false) : false;

  return async (job: ScanJob): Promise<ScanJobResult> => {
    const record = deps.store.image(job.imageId);
    const holders = record ? deps.inventory.watchers().filter((w) => record.engines[w.name]) : [];
    if (holders.length === 0) throw new Error(`no engine holds image ${job.imageId.slice(7, 19)} any more`);
    const choice = holders.filter((w) => w.status.online).length > 1;
    const order = exportOrder(
      await Promise.all(
        holders.map(async (w) => ({
          name: w.name,
          online: w.status.online,
          local: w.meta.target ? isLocalTarget(w.meta.target) : true,
          inPlace: choice && w.status.online ? await canReadInPlace(w.name) : false,
        })),
      ),
    );
    let lastError: unknown = null;
    for (const name of order) {
      const scan = scannerOf(name);
      if (!scan) continue;
      try {
        const result = await scan(job);
        return { ...result, server: name };
      } catch (error) {
        lastError = error;
        const lost = /^Docker unavailable/.test(error instanceof Error ? error.message : '');
        if (job.signal.aborted || !lost || name === order.at(-1)) throw error;
        deps.log?.(`scan ${job.imageId.slice(7, 19)}: engine ${name} went away (${(error as Error).message}); reading it from the next engine that holds it`);
      }
    }
    throw lastError ?? new Error(`no engine can export image ${job.imageId.slice(7, 19)}`);
  };
}
