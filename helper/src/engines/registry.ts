/**
 * Which engines the helper watches, and managing them at run time. Three sources: the default
 * engine (`local`: DOCKER_HOST or the local socket), engines given at start (--engine,
 * SHIPSHAPE_ENGINES) and engines added later (POST /api/engines, `shipshape engines add`),
 * which are kept in the state: URL, context name and the paths of TLS and SSH key files,
 * never the keys. Adding connects first, so a wrong CA, a refused key or a typo in the address
 * is a 400 that says what to fix instead of an engine that is never online.
 */
import type { AddEngineRequest, DockerContext, Engine, EngineSource } from '@shipshape/shared';
import { resolveContext, listContexts } from '../docker/contexts.ts';
import { createDockerEngine, type DockerEngine } from '../docker/engine.ts';
import { hostPortOf, type HostKeyStore } from '../docker/ssh.ts';
import { describeTarget, EngineConfigError, parseEngineUrl, requireSafeTransport, type DockerTarget } from '../docker/target.ts';
import { readTlsFolder } from '../docker/tls.ts';
import { DockerUnavailableError, HttpError } from '../http/errors.ts';
import type { EngineMeta } from '../inventory/engine-watcher.ts';
import { DEFAULT_ENGINE, type EngineEntry, type Inventory } from '../inventory/inventory.ts';
import type { StoredEngine } from '../state/schema.ts';
import type { StateStore } from '../state/store.ts';
import { unavailableEngine } from './unavailable-engine.ts';

export type EngineSetup = {
  /** The default engine (DOCKER_HOST or the local socket). */
  docker: DockerTarget;
  /** From --engine / SHIPSHAPE_ENGINES, already checked. */
  engines?: Array<{ name: string; target: DockerTarget }>;
};

export type RegistryOptions = {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Makes the engine for a target (tests replace it). */
  connect?: (target: DockerTarget, hostKeys: HostKeyStore) => DockerEngine;
  /** How long adding waits for the engine to answer. */
  addTimeoutMs?: number;
};

/** Builds the engines at start, in order: default (or the configured `local`), configured, added. */
export function initialEngines(setup: EngineSetup, store: StateStore, options: RegistryOptions = {}): EngineEntry[] {
  const log = options.log ?? (() => undefined);
  const connect = options.connect ?? defaultConnect;
  const hostKeys = hostKeyStore(store);
  const entries: EngineEntry[] = [];
  const names = new Set<string>();
  const push = (entry: EngineEntry) => {
    names.add(entry.meta.name);
    entries.push(entry);
  };
  const configured = setup.engines ?? [];
  const configuredLocal = configured.find((e) => e.name === DEFAULT_ENGINE);
  push(entryFor(DEFAULT_ENGINE, configuredLocal?.target ?? setup.docker, configuredLocal ? 'config' : 'default', null, connect, hostKeys));
  for (const e of configured) if (e.name !== DEFAULT_ENGINE) push(entryFor(e.name, e.target, 'config', null, connect, hostKeys));
  for (const stored of store.state.engines.added) {
    if (names.has(stored.name)) {
      log(`engine '${stored.name}' added earlier is shadowed by --engine/SHIPSHAPE_ENGINES of the same name`);
      continue;
    }
    push(storedEntry(stored, connect, hostKeys, options.env));
  }
  return entries;
}

export class EngineRegistry {
  private readonly connect: (target: DockerTarget, hostKeys: HostKeyStore) => DockerEngine;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly store: StateStore,
    private readonly inventory: Inventory,
    private readonly options: RegistryOptions = {},
  ) {
    this.connect = options.connect ?? defaultConnect;
    this.env = options.env ?? process.env;
  }

  list(): Engine[] {
    return this.inventory.watchers().map((w) => this.view(w.meta));
  }

  get(name: string): Engine | null {
    const watcher = this.inventory.watcher(name);
    return watcher ? this.view(watcher.meta) : null;
  }

  /** Checks, connects, stores, starts watching. Every refusal is an HttpError 400 naming the field. */
  async add(request: AddEngineRequest): Promise<Engine> {
    if (this.inventory.watcher(request.name)) {
      throw new HttpError(400, 'bad_request', `an engine named '${request.name}' exists already (remove it first, or choose another name)`, 'name');
    }
    let target: DockerTarget;
    let url: string;
    let tlsDir: string | null = request.tls ?? null;
    const keyFile = request.sshKey ?? null;
    try {
      if (request.context) {
        const resolved = resolveContext(request.context, this.env);
        target = resolved.target;
        url = resolved.context.host;
        tlsDir = resolved.target.kind === 'tcp' ? resolved.target.tlsDir : null;
        const taken = this.inventory.watchers().find((w) => w.meta.context === request.context);
        if (taken) throw new HttpError(400, 'bad_request', `Docker context '${request.context}' is watched already, as engine '${taken.name}'`, 'context');
      } else {
        url = request.url!;
        target = parseEngineUrl(url, { tlsDir, keyFile });
      }
      requireSafeTransport(target);
      if (target.kind === 'tcp' && target.tlsDir) readTlsFolder(target.tlsDir);
    } catch (error) {
      if (error instanceof EngineConfigError) throw new HttpError(400, 'bad_request', error.message, request.context ? 'context' : error.field);
      throw error;
    }
    const hostKeys = hostKeyStore(this.store);
    const pinnedBefore = target.kind === 'ssh' ? hostKeys.get(hostPortOf(target)) : undefined;
    try {
      await this.probe(target, hostKeys, request.context ? 'context' : 'url');
    } catch (error) {
      // Nothing was added: a host key pinned by this attempt alone is not kept.
      if (target.kind === 'ssh' && pinnedBefore === undefined && !this.usesHost(hostPortOf(target))) this.store.updateEngines((e) => delete e.sshHostKeys[hostPortOf(target)]);
      throw error;
    }
    const stored: StoredEngine = { name: request.name, url, tlsDir, keyFile, context: request.context ?? null, addedAt: new Date().toISOString() };
    this.store.updateEngines((engines) => {
      engines.added = [...engines.added.filter((e) => e.name !== stored.name), stored];
    });
    await this.inventory.addEngine(entryFor(stored.name, target, 'added', stored.context, this.connect, hostKeys));
    this.options.log?.(`engine ${stored.name} added (${describeTarget(target)})`);
    return this.get(stored.name)!;
  }

  /** Removes an added engine; the default and configured ones are changed where they are set. */
  async remove(name: string): Promise<void> {
    const watcher = this.inventory.watcher(name);
    if (!watcher) throw new HttpError(404, 'not_found', `no engine named '${name}'`, 'name');
    if (watcher.meta.source !== 'added') {
      const where = watcher.meta.source === 'default' ? 'it is the default engine (DOCKER_HOST or the local socket)' : 'it comes from --engine or SHIPSHAPE_ENGINES: remove it there and restart the helper';
      throw new HttpError(400, 'bad_request', `engine '${name}' cannot be removed here: ${where}`, 'name');
    }
    await this.inventory.removeEngine(name);
    const target = watcher.meta.target;
    this.store.updateEngines((engines) => {
      engines.added = engines.added.filter((e) => e.name !== name);
      // A host no engine reaches any more: forget its pinned key (adding it again pins anew).
      if (target?.kind === 'ssh' && !this.usesHost(hostPortOf(target))) delete engines.sshHostKeys[hostPortOf(target)];
    });
    this.options.log?.(`engine ${name} removed`);
  }

  /** The user's Docker contexts, with the engine watching each (if any). */
  contexts(): DockerContext[] {
    const byContext = new Map(this.inventory.watchers().filter((w) => w.meta.context).map((w) => [w.meta.context!, w.name]));
    return listContexts(this.env).map((c) => ({ name: c.name, description: c.description, endpoint: c.host, tls: c.tlsDir !== null, current: c.current, engine: byContext.get(c.name) ?? null }));
  }

  /** Whether an engine reaches this SSH `host:port`. */
  private usesHost(hostPort: string): boolean {
    return this.inventory.watchers().some((w) => w.meta.target?.kind === 'ssh' && hostPortOf(w.meta.target) === hostPort);
  }

  private async probe(target: DockerTarget, hostKeys: HostKeyStore, field: string): Promise<void> {
    const engine = this.connect(target, hostKeys);
    const timeoutMs = this.options.addTimeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        engine.version(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new DockerUnavailableError(`${describeTarget(target)} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new HttpError(400, 'bad_request', `could not connect to ${describeTarget(target)}: ${reason.replace(`${describeTarget(target)}: `, '')}`, field);
    } finally {
      clearTimeout(timer);
      engine.close?.();
    }
  }

  private view(meta: EngineMeta): Engine {
    const watcher = this.inventory.watcher(meta.name);
    const target = meta.target;
    return {
      name: meta.name,
      endpoint: meta.endpoint,
      kind: meta.kind,
      tls: meta.tls,
      context: meta.context,
      source: meta.source,
      hostKey: target?.kind === 'ssh' ? (this.store.state.engines.sshHostKeys[hostPortOf(target)] ?? null) : null,
      online: watcher?.status.online ?? false,
      message: watcher?.status.online ? null : (watcher?.status.message ?? null),
    };
  }
}

const defaultConnect = (target: DockerTarget, hostKeys: HostKeyStore) => createDockerEngine(target, { hostKeys });

function hostKeyStore(store: StateStore): HostKeyStore {
  return {
    get: (hostPort) => store.state.engines.sshHostKeys[hostPort],
    remember: (hostPort, fingerprint) => store.updateEngines((engines) => (engines.sshHostKeys[hostPort] = fingerprint)),
  };
}

export function metaFor(name: string, target: DockerTarget, source: EngineSource, context: string | null): EngineMeta {
  return { name, endpoint: describeTarget(target), kind: target.kind, tls: target.kind === 'tcp' && target.tlsDir !== null, context, source, target };
}

function entryFor(name: string, target: DockerTarget, source: EngineSource, context: string | null, connect: RegistryOptions['connect'] & {}, hostKeys: HostKeyStore): EngineEntry {
  return { meta: metaFor(name, target, source, context), engine: connect(target, hostKeys) };
}

/**
 * An engine from the state. A context is read again (it may have moved); one that is gone or
 * no longer usable keeps the engine listed, offline, saying why.
 */
function storedEntry(stored: StoredEngine, connect: RegistryOptions['connect'] & {}, hostKeys: HostKeyStore, env?: NodeJS.ProcessEnv): EngineEntry {
  try {
    const target = stored.context ? resolveContext(stored.context, env ?? process.env).target : parseEngineUrl(stored.url, { tlsDir: stored.tlsDir, keyFile: stored.keyFile });
    requireSafeTransport(target);
    return entryFor(stored.name, target, 'added', stored.context, connect, hostKeys);
  } catch (error) {
    const fallback = safeTarget(stored);
    return { meta: { ...metaFor(stored.name, fallback, 'added', stored.context), endpoint: stored.url }, engine: unavailableEngine((error as Error).message) };
  }
}

function safeTarget(stored: StoredEngine): DockerTarget {
  try {
    return parseEngineUrl(stored.url, { tlsDir: stored.tlsDir, keyFile: stored.keyFile });
  } catch {
    return { kind: 'tcp', host: 'invalid', port: 0, tlsDir: null };
  }
}
