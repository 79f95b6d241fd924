/** One installed rpm, as read from its header: the facts Shipshape reports. */
import { RpmHeader, TAG } from './header.ts';

export interface InstalledRpm {
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  /** Missing for gpg-pubkey pseudo-packages (rpm prints `(none)`). */
  arch: string | null;
  sourceRpm: string | null;
  modularityLabel: string | null;
  license: string | null;
  vendor: string | null;
  size: number | null;
  summary: string | null;
}

export function installedRpmFromHeader(blob: Buffer): InstalledRpm {
  const h = new RpmHeader(blob);
  const name = h.string(TAG.NAME);
  const version = h.string(TAG.VERSION);
  if (!name || version === undefined) throw new Error('header has no NAME or VERSION');
  const sourceRpm = h.string(TAG.SOURCERPM);
  return {
    name,
    epoch: h.number(TAG.EPOCH) ?? null,
    version,
    release: h.string(TAG.RELEASE) ?? '',
    arch: h.string(TAG.ARCH) ?? null,
    sourceRpm: sourceRpm && sourceRpm !== '(none)' ? sourceRpm : null,
    modularityLabel: h.string(TAG.MODULARITYLABEL) || null,
    license: h.string(TAG.LICENSE) ?? null,
    vendor: h.string(TAG.VENDOR) ?? null,
    size: h.number(TAG.LONGSIZE) ?? h.number(TAG.SIZE) ?? null,
    summary: h.string(TAG.SUMMARY) ?? null,
  };
}

/** `name-version-release.src.rpm` → its parts (name may contain `-`; version and release may not). */
export function parseSourceRpm(sourceRpm: string): { name: string; version: string; release: string } | null {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return m ? { name: m[1]!, version: m[2]!, release: m[3]! } : null;
}
