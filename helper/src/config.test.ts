import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, resolveLayerSource, resolveScanWorkers } from './config.ts';

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
    expect(() => resolveConfig({}, { HOME: '/h', DOCKER_HOST: 'ftp://x' })).toThrow(/DOCKER_HOST/);
  });
  it('refuses plain tcp:// off loopback, for DOCKER_HOST as for --engine; DOCKER_CERT_PATH makes it TLS', () => {
    expect(() => resolveConfig({}, { HOME: '/h', DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toThrow(/DOCKER_HOST: plain tcp:\/\/10\.0\.0\.5:2375 .*unencrypted/);
    expect(() => resolveConfig({ engine: ['build=tcp://build.example:2375'] }, { HOME: '/h' })).toThrow(ConfigError);
    expect(resolveConfig({}, { HOME: '/h', DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: '/certs' }).docker).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2376, tlsDir: '/certs' });
    expect(resolveConfig({}, { HOME: '/h', DOCKER_HOST: 'ssh://me@build' }).docker).toMatchObject({ kind: 'ssh', user: 'me', host: 'build', port: 22 });
  });
  it('reads --engine (repeatable) and SHIPSHAPE_ENGINES, with tls= and key= belonging to the engine before them', () => {
    const config = resolveConfig(
      { engine: ['two=unix:///run/two.sock', 'lab=ssh://ci@lab.example:2222,key=/keys/lab'] },
      { HOME: '/h', SHIPSHAPE_ENGINES: 'loop=tcp://127.0.0.1:2375, edge=ssh://edge' },
    );
    expect(config.engines).toEqual([
      { name: 'two', target: { kind: 'unix', socketPath: '/run/two.sock' } },
      { name: 'lab', target: { kind: 'ssh', host: 'lab.example', port: 2222, user: 'ci', keyFile: '/keys/lab' } },
      { name: 'loop', target: { kind: 'tcp', host: '127.0.0.1', port: 2375, tlsDir: null } },
      { name: 'edge', target: { kind: 'ssh', host: 'edge', port: 22, user: null, keyFile: null } },
    ]);
  });
  it('refuses a duplicate name, a bad name, a TLS folder without its files, an option with no engine', () => {
    expect(() => resolveConfig({ engine: ['a=unix:///a.sock'] }, { HOME: '/h', SHIPSHAPE_ENGINES: 'a=unix:///b.sock' })).toThrow(/'a' is given twice/);
    expect(() => resolveConfig({ engine: ['-bad=unix:///a.sock'] }, { HOME: '/h' })).toThrow(/engine name '-bad'/);
    expect(() => resolveConfig({ engine: ['b=tcp://10.0.0.5:2376,tls=/nonexistent/certs'] }, { HOME: '/h' })).toThrow(/TLS folder \/nonexistent\/certs has no ca\.pem/);
    expect(() => resolveConfig({ engine: ['tls=/x'] }, { HOME: '/h' })).toThrow(/must follow NAME=URL/);
    expect(() => resolveConfig({ engine: ['c'] }, { HOME: '/h' })).toThrow(/not NAME=URL/);
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

describe('resolveScanWorkers', () => {
  it("is the pool's default when unset, the flag over SHIPSHAPE_SCAN_WORKERS, and refuses what is not 2 to 64", () => {
    expect(resolveScanWorkers(undefined, {})).toBeUndefined();
    expect(resolveScanWorkers(undefined, { SHIPSHAPE_SCAN_WORKERS: ' ' })).toBeUndefined();
    expect(resolveScanWorkers(undefined, { SHIPSHAPE_SCAN_WORKERS: '8' })).toBe(8);
    expect(resolveScanWorkers('3', { SHIPSHAPE_SCAN_WORKERS: '8' })).toBe(3);
    expect(resolveScanWorkers('64', {})).toBe(64);
    for (const bad of ['1', '0', '65', '2.5', '-4', 'four', '1e1']) {
      expect(() => resolveScanWorkers(bad, {})).toThrow(`scan workers must be a whole number from 2 to 64, got '${bad}' (--scan-workers or SHIPSHAPE_SCAN_WORKERS)`);
    }
    expect(() => resolveScanWorkers(undefined, { SHIPSHAPE_SCAN_WORKERS: 'all' })).toThrow(ConfigError);
  });
});
