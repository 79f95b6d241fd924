/**
 * The few Docker Engine calls the inventory needs, behind a small interface so routes and the
 * inventory can be tested with a fake engine. Connection failures (daemon gone, TLS refused,
 * SSH refused) become DockerUnavailableError with a sentence saying what to fix.
 */
import type Docker from 'dockerode';
import { DockerUnavailableError } from '../http/errors.ts';
import { createDockerClient, sshAgentFor, type ClientOptions } from './client.ts';
import { describeConnectionError, unreachableCodes } from './connection-errors.ts';
import { EngineConfigError, type DockerTarget } from './target.ts';

export type EngineVersion = { version: string; apiVersion: string; os: string; arch: string; kernelVersion: string };
export type EngineInfo = {
  id: string;
  name: string;
  operatingSystem: string;
  serverVersion: string;
  images: number;
  containers: number;
};

export interface DockerEngine {
  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;
  listImages(): Promise<Docker.ImageInfo[]>;
  /** null when the image no longer exists. */
  inspectImage(id: string): Promise<Docker.ImageInspectInfo | null>;
  imageHistory(id: string): Promise<HistoryEntry[] | null>;
  listContainers(): Promise<Docker.ContainerInfo[]>;
  inspectContainer(id: string): Promise<Docker.ContainerInspectInfo | null>;
  /** The events stream (newline-delimited JSON); ends or errors when the daemon goes away. */
  events(): Promise<NodeJS.ReadableStream>;
  /** A client without a request timeout for `docker save` streams (absent in fakes). */
  exportClient?(): Docker;
  /** Closes what stays open between calls (an ssh:// engine's SSH connection). */
  close?(): void;
}

export type HistoryEntry = { Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string };

const REQUEST_TIMEOUT_MS = 15_000;

export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; statusCode?: number };
  if (e?.code && unreachableCodes.has(e.code)) return true;
  return !e?.statusCode && /timeout|socket hang up|connect/i.test(e?.message ?? '');
}

function wrap(target: DockerTarget | null) {
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DockerUnavailableError) throw error;
      if (error instanceof EngineConfigError) throw new DockerUnavailableError(error.message);
      const described = describeConnectionError(error, target);
      if (described !== null) throw new DockerUnavailableError(target ? described : `Docker is not reachable (${(error as { code?: string }).code ?? (error as Error).message})`);
      throw error;
    }
  };
  const orNull = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await call(work);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  };
  return { call, orNull };
}

export function createDockerEngine(target: DockerTarget, options: Omit<ClientOptions, 'timeoutMs'> = {}): DockerEngine {
  // Clients are made on first use: a TLS folder or key that cannot be read makes the engine
  // offline with that reason instead of stopping the helper.
  let clients: { api: Docker; stream: Docker } | null = null;
  let sshAgent: ReturnType<typeof sshAgentFor>;
  const get = () => {
    if (clients) return clients;
    sshAgent = sshAgentFor(target, options.hostKeys); // one SSH connection for both clients
    clients = { api: createDockerClient(target, { ...options, sshAgent, timeoutMs: REQUEST_TIMEOUT_MS }), stream: createDockerClient(target, { ...options, sshAgent }) };
    return clients;
  };
  const { call, orNull } = wrap(target);
  return {
    version: () =>
      call(async () => {
        const v = await get().api.version();
        return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch, kernelVersion: v.KernelVersion };
      }),
    info: () =>
      call(async () => {
        const i = (await get().api.info()) as Record<string, unknown>;
        return {
          id: String(i.ID ?? ''),
          name: String(i.Name ?? ''),
          operatingSystem: String(i.OperatingSystem ?? ''),
          serverVersion: String(i.ServerVersion ?? ''),
          images: Number(i.Images ?? 0),
          containers: Number(i.Containers ?? 0),
        };
      }),
    listImages: () => call(() => get().api.listImages({ all: false })),
    inspectImage: (id) => orNull(() => get().api.getImage(id).inspect()),
    imageHistory: (id) => orNull(async () => (await get().api.getImage(id).history()) as HistoryEntry[]),
    listContainers: () => call(() => get().api.listContainers({ all: true })),
    inspectContainer: (id) => orNull(() => get().api.getContainer(id).inspect()),
    events: () => call(async () => (await get().stream.getEvents({})) as NodeJS.ReadableStream),
    exportClient: () => get().stream,
    close: () => {
      sshAgent?.destroy();
      clients = null;
    },
  };
}
