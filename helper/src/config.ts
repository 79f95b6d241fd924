/**
 * Helper configuration: command-line flags, then environment, then defaults.
 *   port          --port N         SHIPSHAPE_PORT       7373 (loopback only)
 *   data dir      --data-dir DIR   SHIPSHAPE_DATA_DIR   $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape
 *   Docker        (none)           DOCKER_HOST          /var/run/docker.sock (the engine named `local`)
 *   more engines  --engine NAME=URL[,tls=DIR][,key=FILE] (repeatable)
 *                                  SHIPSHAPE_ENGINES="NAME=URL,…"
 *   extensions    --extension ID   SHIPSHAPE_EXTENSION_IDS (comma-separated) extension IDs allowed
 *                                  as browser origins in addition to the paired ones in state
 *   import dirs   --import-dir DIR SHIPSHAPE_IMPORT_DIRS (':'-separated) folders whose files the
 *                                  API may read, besides <data dir>/imports
 *   clamd         --clamd ADDRESS  SHIPSHAPE_CLAMD      a clamd anywhere (the API may set only a
 *                                  socket or a loopback address)
 *   data refresh  --data-refresh   SHIPSHAPE_DATA_REFRESH  off|daily|weekly (default daily) until
 *                                  the data-update settings are saved
 *   OSV mirror    --mirror URL     SHIPSHAPE_OSV_MIRROR the feed's base URL until saved
 *   layer source  --layer-source M SHIPSHAPE_LAYER_SOURCE  auto | in-place | export (default auto):
 *                                  how scans read an image's layers (in place from Docker's
 *                                  overlay2 folders when the engine allows, or docker save)
 *   scan workers  --scan-workers N SHIPSHAPE_SCAN_WORKERS  layer worker threads, 2 to 64 (default
 *                                  one per core, 2 to 4: each holds ~50 MB while it scans)
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataUpdateSettings } from '@shipshape/shared';
import { DEFAULT_HELPER_PORT, autoUpdateFrequencies, layerSourceSettings, type LayerSourceSetting } from '@shipshape/shared/defaults.ts';
import { parseClamdAddress } from './clamav/clamd-client.ts';
import { parseEngineSpecs } from './docker/engine-spec.ts';
import { readTlsFolder } from './docker/tls.ts';
import { EngineConfigError, parseDockerHost, parseEngineUrl, requireSafeTransport, type DockerTarget } from './docker/target.ts';

/** An engine given at start (--engine, SHIPSHAPE_ENGINES): checked, not yet connected. */
export type ConfiguredEngine = { name: string; target: DockerTarget };

export type Config = {
  port: number;
  dataDir: string;
  /** The default engine (`local`): DOCKER_HOST or the local socket. */
  docker: DockerTarget;
  /** More engines from --engine and SHIPSHAPE_ENGINES (one named `local` replaces the default); none when absent. */
  engines?: ConfiguredEngine[];
  extensionIds: string[];
  /** Folders the API may read files from, besides `<data dir>/imports`. */
  importDirs: string[];
  /** A clamd set on the command line or in the environment (any address). */
  clamd: string | null;
  /** Data-update settings until the user saves some through the API. */
  dataUpdate: DataUpdateSettings;
  /** Set by `serve` (resolveLayerSource); default auto. */
  layerSource?: LayerSourceSetting;
  /** Set by `serve` (resolveScanWorkers); default the layer pool's own (one per core, 2 to 4). */
  scanWorkers?: number;
};

/** Flags of `serve` (the other commands take the first three). */
export type ConfigFlags = {
  port?: string;
  'data-dir'?: string;
  extension?: string[];
  'import-dir'?: string[];
  clamd?: string;
  'data-refresh'?: string;
  mirror?: string;
  engine?: string[];
};

/** The one address the helper listens on: never a public interface. */
export const LISTEN_HOST = '127.0.0.1';

export class ConfigError extends Error {}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME?.trim() ? env.XDG_DATA_HOME : join(env.HOME?.trim() ? env.HOME : homedir(), '.local', 'share');
  return join(base, 'shipshape');
}

/** Options shared by the commands that need a data dir (`serve`, `token`, `images`). */
export const configOptions = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  extension: { type: 'string', multiple: true },
} as const;

/** `--layer-source MODE`, for the commands that scan (`serve`, `scan`). */
export const layerSourceOption = { 'layer-source': { type: 'string' } } as const;

/** `--layer-source`, else SHIPSHAPE_LAYER_SOURCE, else `auto`. */
export function resolveLayerSource(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): LayerSourceSetting {
  const value = (flag ?? env.SHIPSHAPE_LAYER_SOURCE?.trim()) || 'auto';
  if (!(layerSourceSettings as readonly string[]).includes(value)) throw new ConfigError(`layer source must be ${layerSourceSettings.join(', ')}, got '${value}' (--layer-source or SHIPSHAPE_LAYER_SOURCE)`);
  return value as LayerSourceSetting;
}

/** `--scan-workers N`, for the commands that scan (`serve`, `scan`). */
export const scanWorkersOption = { 'scan-workers': { type: 'string' } } as const;

export const MAX_SCAN_WORKERS = 64;

/** `--scan-workers`, else SHIPSHAPE_SCAN_WORKERS, else undefined: the layer pool's default. */
export function resolveScanWorkers(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = (flag ?? env.SHIPSHAPE_SCAN_WORKERS)?.trim();
  if (!value) return undefined;
  const workers = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(workers >= 2 && workers <= MAX_SCAN_WORKERS)) throw new ConfigError(`scan workers must be a whole number from 2 to ${MAX_SCAN_WORKERS}, got '${value}' (--scan-workers or SHIPSHAPE_SCAN_WORKERS)`);
  return workers;
}

/** `--data-dir`, else SHIPSHAPE_DATA_DIR, else the XDG default: the same for every command. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? (env.SHIPSHAPE_DATA_DIR?.trim() || defaultDataDir(env)));
}

/** `--engine` for the commands that read Docker (`serve`, `images`). */
export const engineOption = { engine: { type: 'string', multiple: true } } as const;

/**
 * Every flag of `serve`. `status` takes them too (it reads only --port and --data-dir): `npm
 * start` asks it, with the arguments it was given for `serve`, whether that helper runs already.
 */
export const serveOptions = {
  ...configOptions,
  ...engineOption,
  ...layerSourceOption,
  ...scanWorkersOption,
  'import-dir': { type: 'string', multiple: true },
  clamd: { type: 'string' },
  'data-refresh': { type: 'string' },
  mirror: { type: 'string' },
} as const;

/**
 * --engine values and SHIPSHAPE_ENGINES as checked engines: URL form, no plain tcp:// off
 * loopback, a TLS folder that holds ca.pem, cert.pem and key.pem, names given once.
 */
export function resolveEngines(flags: string[] = [], env: NodeJS.ProcessEnv = process.env): ConfiguredEngine[] {
  try {
    const specs = [...parseEngineSpecs(flags, '--engine'), ...parseEngineSpecs([env.SHIPSHAPE_ENGINES ?? ''], 'SHIPSHAPE_ENGINES')];
    const seen = new Set<string>();
    return specs.map((spec) => {
      if (seen.has(spec.name)) throw new EngineConfigError(`engine '${spec.name}' is given twice (--engine and SHIPSHAPE_ENGINES share one list of names)`);
      seen.add(spec.name);
      const target = parseEngineUrl(spec.url, { tlsDir: spec.tlsDir, keyFile: spec.keyFile });
      requireSafeTransport(target);
      if (target.kind === 'tcp' && target.tlsDir) readTlsFolder(target.tlsDir);
      return { name: spec.name, target };
    });
  } catch (error) {
    if (error instanceof EngineConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const portText = flags.port ?? env.SHIPSHAPE_PORT ?? String(DEFAULT_HELPER_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new ConfigError(`port must be 1-65535, got '${portText}'`);
  const dataDir = resolveDataDir(flags['data-dir'], env);
  let docker: DockerTarget;
  try {
    docker = parseDockerHost(env.DOCKER_HOST?.trim() || undefined, env);
    requireSafeTransport(docker);
  } catch (error) {
    throw new ConfigError(`DOCKER_HOST: ${(error as Error).message.replace(/^DOCKER_HOST /, '')}`);
  }
  const engines = resolveEngines(flags.engine, env);
  const extensionIds = [...(flags.extension ?? []), ...(env.SHIPSHAPE_EXTENSION_IDS ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  for (const id of extensionIds) {
    if (!/^[a-p]{32}$/.test(id)) throw new ConfigError(`'${id}' is not a Chrome extension ID (32 letters a-p)`);
  }
  const importDirs = [...(flags['import-dir'] ?? []), ...(env.SHIPSHAPE_IMPORT_DIRS ?? '').split(':')].map((s) => s.trim()).filter(Boolean).map((d) => resolve(d));
  const clamd = flags.clamd ?? (env.SHIPSHAPE_CLAMD?.trim() || null);
  if (clamd) {
    try {
      parseClamdAddress(clamd);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  const refresh = flags['data-refresh'] ?? (env.SHIPSHAPE_DATA_REFRESH?.trim() || 'daily');
  if (!(autoUpdateFrequencies as readonly string[]).includes(refresh)) throw new ConfigError(`data refresh must be ${autoUpdateFrequencies.join(', ')}, got '${refresh}'`);
  const mirror = flags.mirror ?? (env.SHIPSHAPE_OSV_MIRROR?.trim() || null);
  if (mirror && !isHttpUrl(mirror)) throw new ConfigError(`the OSV mirror must be an http:// or https:// URL, got '${mirror}'`);
  return { port, dataDir, docker, engines, extensionIds, importDirs, clamd, dataUpdate: { autoUpdate: refresh as DataUpdateSettings['autoUpdate'], mirror } };
}

/** The mirror check of the settings' MirrorUrl, without loading the schemas at start-up. */
function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text) && URL.canParse(text);
}

/** Runs node's parseArgs, turning its errors (unknown flag, missing value) into ConfigError. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
