import { z } from 'zod';
import { ImageInfo, Package } from './packages.ts';
import { Vulnerability } from './vulnerabilities.ts';
import { SensitiveFinding } from './sensitive.ts';
import { MalwareFinding } from './malware.ts';
import { NotChecked } from '../categories.ts';

export * from './packages.ts';
export * from './vulnerabilities.ts';
export * from './sensitive.ts';
export * from './malware.ts';

export * from '../categories.ts';

/**
 * How a scan read the image's layers: `in-place` from Docker's overlay2 layer folders,
 * `export` through `docker save`, `cache` not at all (every layer's result was cached).
 */
export const layerSourcesUsed = ['in-place', 'export', 'cache'] as const;
export const LayerSourceUsed = z.enum(layerSourcesUsed);
export type LayerSourceUsed = z.infer<typeof LayerSourceUsed>;

/** One scan's full report: what `shipshape scan --format json` prints and the helper stores. */
export const ScanReport = z.object({
  image: ImageInfo,
  packages: z.array(Package),
  vulnerabilities: z.array(Vulnerability).optional(),
  sensitive: z.array(SensitiveFinding).optional(),
  malware: z.array(MalwareFinding).optional(),
  /** What the scan skipped on purpose (size caps, unreadable files…), for the user to see. */
  notes: z.array(z.string()).default([]),
  /** How the layers were read: `in-place` (Docker's layer folders), `export` (`docker save`), `cache` (every layer cached). Absent in older reports. */
  layerSource: LayerSourceUsed.optional(),
  /** Categories asked for that could not be evaluated: the report is no verdict of "safe" for them. */
  notChecked: z.array(NotChecked).optional(),
});
export type ScanReport = z.infer<typeof ScanReport>;
