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

/** One scan's full report: what `shipshape scan --format json` prints and the helper stores. */
export const ScanReport = z.object({
  image: ImageInfo,
  packages: z.array(Package),
  vulnerabilities: z.array(Vulnerability).optional(),
  sensitive: z.array(SensitiveFinding).optional(),
  malware: z.array(MalwareFinding).optional(),
  /** What the scan skipped on purpose (size caps, unreadable files…), for the user to see. */
  notes: z.array(z.string()).default([]),
  /** Categories asked for that could not be evaluated: the report is no verdict of "safe" for them. */
  notChecked: z.array(NotChecked).optional(),
});
export type ScanReport = z.infer<typeof ScanReport>;
