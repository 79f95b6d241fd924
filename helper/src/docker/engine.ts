/**
 * The few Docker Engine calls the inventory needs, behind a small interface so routes and the
 * inventory can be tested with a fake engine. Connection failures become DockerUnavailableError.
 */
import type Docker from 'dockerode';
import { DockerUnavailableError } from '../http/errors.ts';
import { createDockerClient, type DockerTarget } from './client.ts';

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
}

export type HistoryEntry = { Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string };

const REQUEST_TIMEOUT_MS = 15_000;

/** Error codes that mean "the daemon is not there", as opposed to an API error answer. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ESOCKETTIMEDOUT']);

export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; statusCode?: number };
  if (e?.code && unreachableCodes.has(e.code)) return true;
  return !e?.statusCode && /timeout|socket hang up|connect/i.test(e?.message ?? '');
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnreachable(error)) throw new DockerUnavailableError(`Docker is not reachable (${(error as { code?: string }).code ?? (error as Error).message})`);
    throw error;
  }
}

async function orNull<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await call(work);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

export function createDockerEngine(target: DockerTarget): DockerEngine {
  const api = createDockerClient(target, REQUEST_TIMEOUT_MS);
  const stream = createDockerClient(target);
  return {
    version: () =>
      call(async () => {
        const v = await api.version();
        return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch, kernelVersion: v.KernelVersion };
      }),
    info: () =>
      call(async () => {
        const i = (await api.info()) as Record<string, unknown>;
        return {
          id: String(i.ID ?? ''),
          name: String(i.Name ?? ''),
          operatingSystem: String(i.OperatingSystem ?? ''),
          serverVersion: String(i.ServerVersion ?? ''),
          images: Number(i.Images ?? 0),
          containers: Number(i.Containers ?? 0),
        };
      }),
    listImages: () => call(() => api.listImages({ all: false })),
    inspectImage: (id) => orNull(() => api.getImage(id).inspect()),
    imageHistory: (id) => orNull(async () => (await api.getImage(id).history()) as HistoryEntry[]),
    listContainers: () => call(() => api.listContainers({ all: true })),
    inspectContainer: (id) => orNull(() => api.getContainer(id).inspect()),
    events: () => call(async () => (await stream.getEvents({})) as NodeJS.ReadableStream),
  };
}
