import { z } from 'zod';
import { ImageIdParam } from './images.ts';

/** GET/PUT /api/settings/licenses. `poolSize: null` is unlimited (the default). */
export const LicenseSettings = z
  .object({
    poolSize: z.number().int().min(0).max(1_000_000).nullable(),
    /** License new images automatically while the pool has room. */
    autoLicense: z.boolean(),
  })
  .strict();
export type LicenseSettings = z.infer<typeof LicenseSettings>;

export const LicenseState = LicenseSettings.extend({
  used: z.number().int(),
  /** Licenses left; null when the pool is unlimited. */
  available: z.number().int().nullable(),
  licensed: z.array(z.string()),
});
export type LicenseState = z.infer<typeof LicenseState>;

/** POST /api/licenses. */
export const LicenseRequest = z
  .object({ images: z.array(ImageIdParam).min(1).max(10_000), action: z.enum(['assign', 'revoke']) })
  .strict();
export type LicenseRequest = z.infer<typeof LicenseRequest>;

export const LicenseEvent = z.object({
  at: z.string(),
  action: z.enum(['assign', 'revoke', 'auto_assign']),
  images: z.array(z.string()),
});
export type LicenseEvent = z.infer<typeof LicenseEvent>;

export const LicenseResponse = z.object({
  state: LicenseState,
  event: LicenseEvent.nullable(),
  /** Images not assigned (pool full) or not found, with the reason. */
  rejected: z.array(z.object({ imageId: z.string(), reason: z.string() })),
});
export type LicenseResponse = z.infer<typeof LicenseResponse>;

/** GET /api/licenses/events: newest first. */
export const LicenseEventList = z.object({ items: z.array(LicenseEvent) });
export type LicenseEventList = z.infer<typeof LicenseEventList>;
