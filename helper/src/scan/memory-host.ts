/** An in-memory StateHost for unit tests (the helper uses its lowdb StateStore). */
import type { ImageRecordLike, ImageScanFields, StateHost } from './state-host.ts';

export function memoryHost(images: ImageRecordLike[] = []): StateHost {
  const state: Record<string, unknown> = {};
  const byId = new Map(images.map((i) => [i.inventory.id, i]));
  return {
    state,
    images: () => [...byId.values()],
    image: (id) => byId.get(id),
    updateScan: (id: string, patch: Partial<ImageScanFields>) => {
      const record = byId.get(id);
      if (record) record.scan = { ...record.scan, ...patch };
      return record;
    },
    update: (mutate) => mutate(state),
  };
}
