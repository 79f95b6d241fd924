export * from './images.ts';
export * from './server.ts';
export * from './engines.ts';
export * from './errors.ts';
export * from './pair.ts';

/** Default loopback port of the helper (documented in the README). */
export const DEFAULT_HELPER_PORT = 7373;
export const DEFAULT_HELPER_URL = `http://127.0.0.1:${DEFAULT_HELPER_PORT}`;
export * from './report/index.ts';
export * from './scans.ts';
export * from './settings.ts';
export * from './licenses.ts';
export * from './events.ts';
