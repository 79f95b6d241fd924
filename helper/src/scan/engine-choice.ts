/**
 * Which engine an image is exported from when several hold it (the image is scanned once and
 * its findings apply to every engine holding it): an online one, preferring an engine on this
 * machine (nothing crosses a network), then one whose layer store the helper can read in
 * place, then the others in configuration order.
 */
export type ExportCandidate = {
  name: string;
  online: boolean;
  /** A unix socket or a loopback address. */
  local: boolean;
  /** The helper can read this engine's layer store directly (no `docker save`). */
  inPlace: boolean;
};

/** Every engine holding the image is offline: the scan ends `scan_exception` with this message. */
export class EnginesOfflineError extends Error {
  constructor(readonly engines: string[]) {
    super(engines.length === 1 ? `engine ${engines[0]} offline` : `engines ${engines.join(', ')} offline`);
  }
}

/** The online candidates, best first; throws EnginesOfflineError when there is none. */
export function exportOrder(candidates: ExportCandidate[]): string[] {
  const online = candidates.filter((c) => c.online);
  if (online.length === 0) throw new EnginesOfflineError(candidates.map((c) => c.name));
  const score = (c: ExportCandidate) => (c.local ? 2 : 0) + (c.inPlace ? 1 : 0);
  // Array.prototype.sort is stable: equal scores keep the configuration order.
  return [...online].sort((a, b) => score(b) - score(a)).map((c) => c.name);
}
