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

export class LicenseManager {
  private readonly now: () => Date;

  constructor(private readonly deps: LicenseDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  state(): LicenseState {
    const { licenses, licensed } = this.deps.data.get();
    return {
      ...licenses,
      used: licensed.length,
      available: licenses.poolSize === null ? null : Math.max(0, licenses.poolSize - licensed.length),
      licensed,
    };
  }

  events(): LicenseEvent[] {
    return [...this.deps.data.get().licenseEvents].reverse();
  }

  get limited(): boolean {
    return this.deps.data.get().licenses.poolSize !== null;
  }

  /** Whether the image may be scanned: always with an unlimited pool. */
  isLicensed(imageId: string): boolean {
    const { licenses, licensed } = this.deps.data.get();
    return licenses.poolSize === null || licensed.includes(imageId);
  }

  updateSettings(settings: LicenseSettings): LicenseState {
    this.deps.data.update((d) => {
      d.licenses = settings;
    });
    return this.state();
  }

  async apply(action: 'assign' | 'revoke', ids: string[]): Promise<LicenseResponse> {
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

  /** A new image appeared: license it when auto-licensing is on and the pool has room. */
  onImageAdded(imageId: string): boolean {
    const { licenses, licensed } = this.deps.data.get();
    if (!licenses.autoLicense || licensed.includes(imageId)) return false;
    if (licenses.poolSize !== null && licensed.length >= licenses.poolSize) return false;
    this.deps.data.update((d) => {
      d.licensed = [...d.licensed, imageId];
    });
    this.log('auto_assign', [imageId]);
    return true;
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
