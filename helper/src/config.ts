/**
 * Helper configuration: command-line flags, then environment, then defaults.
 *   port          --port N         SHIPSHAPE_PORT       7373 (loopback only)
 *   data dir      --data-dir DIR   SHIPSHAPE_DATA_DIR   $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape
 *   Docker        (none)           DOCKER_HOST          /var/run/docker.sock
 *   extensions    --extension ID   SHIPSHAPE_EXTENSION_IDS (comma-separated) extension IDs allowed
 *                                  as browser origins in addition to the paired ones in state
 *   layer source  --layer-source M SHIPSHAPE_LAYER_SOURCE  auto | in-place | export (default auto):
 *                                  how scans read an image's layers (in place from Docker's
 *                                  overlay2 folders when the engine allows, or docker save)
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_HELPER_PORT, layerSourceSettings, type LayerSourceSetting } from '@shipshape/shared/defaults.ts';
import { parseDockerHost, type DockerTarget } from './docker/host.ts';

export type Config = {
  port: number;
  dataDir: string;
  docker: DockerTarget;
  extensionIds: string[];
  /** Set by `serve` (resolveLayerSource); default auto. */
  layerSource?: LayerSourceSetting;
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

/** `--data-dir`, else SHIPSHAPE_DATA_DIR, else the XDG default: the same for every command. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? (env.SHIPSHAPE_DATA_DIR?.trim() || defaultDataDir(env)));
}

export function resolveConfig(flags: { port?: string; 'data-dir'?: string; extension?: string[] }, env: NodeJS.ProcessEnv = process.env): Config {
  const portText = flags.port ?? env.SHIPSHAPE_PORT ?? String(DEFAULT_HELPER_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new ConfigError(`port must be 1-65535, got '${portText}'`);
  const dataDir = resolveDataDir(flags['data-dir'], env);
  let docker: DockerTarget;
  try {
    docker = parseDockerHost(env.DOCKER_HOST?.trim() || undefined);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const extensionIds = [...(flags.extension ?? []), ...(env.SHIPSHAPE_EXTENSION_IDS ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  for (const id of extensionIds) {
    if (!/^[a-p]{32}$/.test(id)) throw new ConfigError(`'${id}' is not a Chrome extension ID (32 letters a-p)`);
  }
  return { port, dataDir, docker, extensionIds };
}

/** Runs node's parseArgs, turning its errors (unknown flag, missing value) into ConfigError. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
