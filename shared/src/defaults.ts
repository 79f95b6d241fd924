/**
 * Where the helper listens by default (documented in the README). A module of its own, without
 * zod, so that the CLI's start-up (`@shipshape/shared/defaults.ts`) does not load the schemas.
 */
export const DEFAULT_HELPER_PORT = 7373;
export const DEFAULT_HELPER_URL = `http://127.0.0.1:${DEFAULT_HELPER_PORT}`;

/** How scans read an image's layers (`SHIPSHAPE_LAYER_SOURCE`, `--layer-source`): `auto` reads in place when it can, else exports. */
export const layerSourceSettings = ['auto', 'in-place', 'export'] as const;
export type LayerSourceSetting = (typeof layerSourceSettings)[number];
