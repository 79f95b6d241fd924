/**
 * Image licensing: a pool (unlimited by default), assignments and revocations logged with time
 * and images, and auto-licensing of new images while the pool has room. When the pool is
 * limited only licensed images are scanned.
 */
import type { LicenseEvent, LicenseResponse, LicenseSettings, LicenseState, ServerEvent } from '@shipshape/shared';
import type { ScanDataStore } from '../scan/scan-data.ts';

export interface LicenseDeps {
  data: ScanDataStore;
  /** Full image ID from a full or short ID; null when unknown. */
  resolve(idOrPrefix: string): Promise<string | null>;
  emit(event: ServerEvent): void;
  now?: () => Date;
}

/** New images arriving within this window are auto-licensed together (one state write, one log event). */
const ARRIVAL_BATCH_MS = 50;

export class LicenseManager {
  private readonly now: () => Date;
  /** Images added since the last settle: an engine's first sync adds hundreds, one by one. */
  private readonly arrivals = new Set<string>();
  private arrivalTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: LicenseDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  state(): LicenseState {
    this.settleArrivals();
    const { licenses, licensed } = this.deps.data.get();
    return {
      ...licenses,
      used: licensed.length,
      available: licenses.poolSize === null ? null : Math.max(0, licenses.poolSize - licensed.length),
      licensed,
    };
  }

  events(): LicenseEvent[] {
    this.settleArrivals();
    return [...this.deps.data.get().licenseEvents].reverse();
  }

  get limited(): boolean {
    return this.deps.data.get().licenses.poolSize !== null;
  }

  /** Whether the image may be scanned: always with an unlimited pool. */
  isLicensed(imageId: string): boolean {
    this.settleArrivals();
    const { licenses, licensed } = this.deps.data.get();
    return licenses.poolSize === null || licensed.includes(imageId);
  }

  updateSettings(settings: LicenseSettings): LicenseState {
    this.settleArrivals();
    this.deps.data.update((d) => {
      d.licenses = settings;
    });
    return this.state();
  }

  async apply(action: 'assign' | 'revoke', ids: string[]): Promise<LicenseResponse> {
    this.settleArrivals();
    const rejected: LicenseResponse['rejected'] = [];
    const resolved: string[] = [];
    for (const id of ids) {
      const full = await this.deps.resolve(id);
      if (full) resolved.push(full);
      else if (action === 'assign') rejected.push({ imageId: id, reason: 'unknown image' });
      else resolved.push(id); // revoking an image that left Docker is allowed
    }
    const changed: string[] = [];
    this.deps.data.update((d) => {
      const set = new Set(d.licensed);
      for (const id of new Set(resolved)) {
        if (action === 'revoke') {
          if (set.delete(id)) changed.push(id);
          continue;
        }
        if (set.has(id)) continue;
        if (d.licenses.poolSize !== null && set.size >= d.licenses.poolSize) {
          rejected.push({ imageId: id, reason: `license pool is full (${d.licenses.poolSize})` });
          continue;
        }
        set.add(id);
        changed.push(id);
      }
      d.licensed = [...set];
    });
    const event = changed.length ? this.log(action, changed) : null;
    return { state: this.state(), event, rejected };
  }

  /**
   * A new image appeared: it is licensed (when auto-licensing is on and the pool has room)
   * together with the others of its burst, a moment later or before anything reads the licenses.
   * One write per image made an engine's first sync of N images cost O(N²).
   */
  noteImageAdded(imageId: string): void {
    this.arrivals.add(imageId);
    this.arrivalTimer ??= setTimeout(() => this.settleArrivals(), ARRIVAL_BATCH_MS);
    this.arrivalTimer.unref?.();
  }

  /** Licenses the images noted so far (also called when the helper stops). */
  settleArrivals(): void {
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer);
    this.arrivalTimer = null;
    if (this.arrivals.size === 0) return;
    const ids = [...this.arrivals];
    this.arrivals.clear();
    this.onImagesAdded(ids);
  }

  /** New images: those auto-licensing takes, in order, while the pool has room; returns them. */
  onImagesAdded(imageIds: Iterable<string>): string[] {
    const { licenses, licensed } = this.deps.data.get();
    if (!licenses.autoLicense) return [];
    const held = new Set(licensed);
    const room = licenses.poolSize === null ? Infinity : Math.max(0, licenses.poolSize - held.size);
    const granted = [...new Set(imageIds)].filter((id) => !held.has(id)).slice(0, room);
    if (granted.length === 0) return [];
    this.deps.data.update((d) => {
      d.licensed = [...d.licensed, ...granted];
    });
    this.log('auto_assign', granted);
    return granted;
  }

  /** One new image, licensed at once (see onImagesAdded). */
  onImageAdded(imageId: string): boolean {
    return this.onImagesAdded([imageId]).length === 1;
  }

  private log(action: LicenseEvent['action'], images: string[]): LicenseEvent {
    const event: LicenseEvent = { at: this.now().toISOString(), action, images };
    this.deps.data.update((d) => {
      d.licenseEvents.push(event);
    });
    this.deps.emit({ type: 'license.changed', event });
    return event;
  }
}
