import { z } from 'zod';

/** The layer (and build step) that last wrote the file a finding comes from. */
export const LayerRef = z.object({
  diffId: z.string(),
  /** `created_by` of the build-history step that produced the layer; null when unknown. */
  createdBy: z.string().nullable(),
});
export type LayerRef = z.infer<typeof LayerRef>;

export const OsInfo = z.object({
  /** os-release ID: debian, ubuntu, alpine, rhel, rocky, almalinux, sles, opensuse-leap, distroless… */
  family: z.string(),
  version: z.string(),
  prettyName: z.string().optional(),
});
export type OsInfo = z.infer<typeof OsInfo>;

export const Package = z.object({
  /** OSV ecosystem name, e.g. `Debian`, `Alpine`, `Red Hat`, `npm`, `PyPI`, `Go`, `Maven`, `crates.io`. */
  ecosystem: z.string(),
  name: z.string(),
  version: z.string(),
  /** Source package (dpkg Source, apk origin, rpm SOURCERPM name); equals name when the format has none. */
  sourceName: z.string().nullable(),
  sourceVersion: z.string().nullable(),
  purl: z.string(),
  arch: z.string().optional(),
  /** Files this package was read from (database, manifest or binary). */
  paths: z.array(z.string()),
  layer: LayerRef,
  /** Extra format-specific facts (epoch, release, modularity label, licences…). */
  metadata: z.record(z.unknown()).optional(),
});
export type Package = z.infer<typeof Package>;

export const ImageInfo = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  os: OsInfo.nullable(),
  architecture: z.string(),
  layers: z.array(z.object({ diffId: z.string(), createdBy: z.string().nullable(), size: z.number().optional() })),
});
export type ImageInfo = z.infer<typeof ImageInfo>;
