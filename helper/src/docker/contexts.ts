/**
 * The user's Docker contexts, read from the Docker config folder the way the docker CLI
 * stores them ($DOCKER_CONFIG or ~/.docker):
 *   contexts/meta/<sha256(name)>/meta.json          { Name, Metadata: { Description }, Endpoints: { docker: { Host } } }
 *   contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem   TLS files, when the context has them
 *   config.json                                      { currentContext }
 * The implicit `default` context is the helper's default engine already and is not listed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineConfigError, parseEngineUrl, type DockerTarget } from './target.ts';

export type DockerContextEntry = { name: string; description: string; host: string; tlsDir: string | null; current: boolean };

const MAX_META_BYTES = 1024 * 1024;

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG?.trim() || join(env.HOME?.trim() || homedir(), '.docker');
}

/** Every readable context, sorted by name; a damaged meta.json is skipped (resolveContext says why). */
export function listContexts(env: NodeJS.ProcessEnv = process.env): DockerContextEntry[] {
  const dir = dockerConfigDir(env);
  const metaDir = join(dir, 'contexts', 'meta');
  let entries: string[];
  try {
    entries = readdirSync(metaDir);
  } catch {
    return [];
  }
  const current = currentContext(dir);
  const found: DockerContextEntry[] = [];
  for (const entry of entries) {
    const context = readContext(dir, entry, current);
    if (context && !(context instanceof Error)) found.push(context);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The context `name` as an engine target; an unknown or unusable context is an EngineConfigError naming the ones there are. */
export function resolveContext(name: string, env: NodeJS.ProcessEnv = process.env): { context: DockerContextEntry; target: DockerTarget } {
  const dir = dockerConfigDir(env);
  const context = readContext(dir, createHash('sha256').update(name).digest('hex'), currentContext(dir));
  if (!context) {
    const known = listContexts(env).map((c) => c.name);
    throw new EngineConfigError(`no Docker context named '${name}' in ${join(dir, 'contexts')} (${known.length ? `there are: ${known.join(', ')}` : 'there are none; create one with docker context create'})`, 'context');
  }
  if (context instanceof Error) throw context;
  try {
    return { context, target: parseEngineUrl(context.host, context.host.startsWith('ssh://') ? {} : { tlsDir: context.tlsDir }) };
  } catch (error) {
    throw new EngineConfigError(`Docker context '${name}': ${(error as Error).message}`, 'context');
  }
}

function currentContext(dir: string): string | null {
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : null;
  } catch {
    return null;
  }
}

function readContext(dir: string, id: string, current: string | null): DockerContextEntry | Error | null {
  if (!/^[0-9a-f]{64}$/.test(id)) return null;
  const path = join(dir, 'contexts', 'meta', id, 'meta.json');
  let meta: { Name?: unknown; Metadata?: { Description?: unknown }; Endpoints?: { docker?: { Host?: unknown } } };
  try {
    if (statSync(path).size > MAX_META_BYTES) return new EngineConfigError(`${path} is too large to be a context`);
    meta = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return new EngineConfigError(`cannot read the Docker context in ${path}: ${(error as Error).message}`);
  }
  const name = typeof meta.Name === 'string' ? meta.Name : null;
  const host = meta.Endpoints?.docker?.Host;
  if (!name) return new EngineConfigError(`${path} has no context name`);
  if (typeof host !== 'string' || !host) return new EngineConfigError(`Docker context '${name}' has no docker endpoint`);
  const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
  const description = typeof meta.Metadata?.Description === 'string' ? meta.Metadata.Description : '';
  return { name, description, host, tlsDir: existsSync(join(tlsDir, 'ca.pem')) ? tlsDir : null, current: name === current };
}
