import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, resolveLayerSource } from './config.ts';

describe('resolveConfig', () => {
  it('uses defaults: port 7373, data dir under XDG_DATA_HOME or ~/.local/share', () => {
    expect(resolveConfig({}, { HOME: '/home/u' })).toMatchObject({ port: 7373, dataDir: '/home/u/.local/share/shipshape', extensionIds: [] });
    expect(resolveConfig({}, { HOME: '/home/u', XDG_DATA_HOME: '/data' }).dataDir).toBe('/data/shipshape');
  });
  it('prefers flags over environment over defaults', () => {
    const env = { HOME: '/h', SHIPSHAPE_PORT: '8000', SHIPSHAPE_DATA_DIR: '/env-dir' };
    expect(resolveConfig({}, env)).toMatchObject({ port: 8000, dataDir: '/env-dir' });
    expect(resolveConfig({ port: '9000', 'data-dir': '/flag-dir' }, env)).toMatchObject({ port: 9000, dataDir: '/flag-dir' });
  });
  it('reads DOCKER_HOST and extension IDs', () => {
    const config = resolveConfig({ extension: ['a'.repeat(32)] }, { HOME: '/h', DOCKER_HOST: 'tcp://127.0.0.1:2375', SHIPSHAPE_EXTENSION_IDS: `${'b'.repeat(32)}, ` });
    expect(config.docker).toMatchObject({ kind: 'tcp', port: 2375 });
    expect(config.extensionIds).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });
  it('rejects bad values with a clear message', () => {
    expect(() => resolveConfig({ port: '70000' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ port: '12ab' }, {})).toThrow(/port/);
    expect(() => resolveConfig({ extension: ['not-an-id'] }, { HOME: '/h' })).toThrow(/extension ID/);
    expect(() => resolveConfig({}, { HOME: '/h', DOCKER_HOST: 'ssh://x' })).toThrow(/DOCKER_HOST/);
  });
});

describe('resolveLayerSource', () => {
  it('is auto by default, the flag over SHIPSHAPE_LAYER_SOURCE, and refuses anything else', () => {
    expect(resolveLayerSource(undefined, {})).toBe('auto');
    expect(resolveLayerSource(undefined, { SHIPSHAPE_LAYER_SOURCE: 'export' })).toBe('export');
    expect(resolveLayerSource('in-place', { SHIPSHAPE_LAYER_SOURCE: 'export' })).toBe('in-place');
    expect(() => resolveLayerSource('inplace', {})).toThrow(/layer source must be auto, in-place, export, got 'inplace'/);
    expect(() => resolveLayerSource(undefined, { SHIPSHAPE_LAYER_SOURCE: 'fast' })).toThrow(ConfigError);
  });
});
