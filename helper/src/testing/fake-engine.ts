/**
 * An in-memory DockerEngine for unit tests: images and containers are plain objects the test
 * edits, `emit()` pushes a Docker event down the open events stream, `goAway()` makes every
 * call fail as if the daemon had stopped.
 */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { DockerEngine, HistoryEntry } from '../docker/engine.ts';
import { DockerUnavailableError } from '../http/errors.ts';

export type FakeImage = { inspect: Docker.ImageInspectInfo; history: HistoryEntry[] };

export function fakeImage(hex: string, options: { tags?: string[]; layers?: number; created?: string; size?: number } = {}): FakeImage {
  const id = `sha256:${hex.padEnd(64, '0')}`;
  const layers = Array.from({ length: options.layers ?? 2 }, (_, i) => `sha256:${String(i).repeat(64).slice(0, 64)}`);
  const created = options.created ?? '2025-01-01T00:00:00.123456789Z';
  return {
    inspect: {
      Id: id,
      RepoTags: options.tags ?? [],
      RepoDigests: [],
      Created: created,
      Size: options.size ?? 1000,
      Os: 'linux',
      Architecture: 'amd64',
      Author: '',
      Config: { Env: ['PATH=/bin'], Labels: { a: 'b' } },
      RootFS: { Type: 'layers', Layers: layers },
    } as unknown as Docker.ImageInspectInfo,
    history: [
      { Id: id, Created: Date.parse(created) / 1000, CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]', Tags: null, Size: 0, Comment: '' },
      ...layers.map((_, i) => ({ Id: '<missing>', Created: Date.parse(created) / 1000, CreatedBy: `/bin/sh -c step ${i}`, Tags: null, Size: 100 + i, Comment: '' })).reverse(),
    ],
  };
}

export class FakeEngine implements DockerEngine {
  images = new Map<string, FakeImage>();
  containers: Docker.ContainerInfo[] = [];
  away = false;
  private streams: PassThrough[] = [];
  calls = { inspectImage: 0, listImages: 0 };

  /** `hostname`: what `docker info` calls the host. */
  constructor(readonly hostname = 'fakehost') {}

  addImage(image: FakeImage): string {
    this.images.set(image.inspect.Id, image);
    return image.inspect.Id;
  }

  addContainer(imageId: string, name: string, state = 'created'): void {
    this.containers.push({
      Id: `${name}-id`.padEnd(64, '0'),
      Names: [`/${name}`],
      Image: imageId,
      ImageID: imageId,
      Command: 'sh',
      Created: 1_700_000_000,
      State: state,
      Status: state === 'running' ? 'Up 1 second' : 'Created',
    } as unknown as Docker.ContainerInfo);
  }

  emit(event: object): void {
    for (const stream of this.streams) stream.write(`${JSON.stringify(event)}\n`);
  }

  /** The daemon stops: open streams end, calls fail until comeBack(). */
  goAway(): void {
    this.away = true;
    for (const stream of this.streams) stream.end();
    this.streams = [];
  }

  comeBack(): void {
    this.away = false;
  }

  private check(): void {
    if (this.away) throw new DockerUnavailableError('Docker is not reachable (ECONNREFUSED)');
  }

  async version() {
    this.check();
    return { version: '99.0.0', apiVersion: '1.41', os: 'linux', arch: 'amd64', kernelVersion: '6.1' };
  }
  async info() {
    this.check();
    return { id: 'FAKE', name: this.hostname, operatingSystem: 'Fake OS', serverVersion: '99.0.0', images: this.images.size, containers: this.containers.length };
  }
  async listImages() {
    this.check();
    this.calls.listImages++;
    return [...this.images.values()].map(
      ({ inspect }) => ({ Id: inspect.Id, RepoTags: inspect.RepoTags, RepoDigests: inspect.RepoDigests, Size: inspect.Size }) as unknown as Docker.ImageInfo,
    );
  }
  async inspectImage(id: string) {
    this.check();
    this.calls.inspectImage++;
    return this.images.get(id)?.inspect ?? null;
  }
  async imageHistory(id: string) {
    this.check();
    return this.images.get(id)?.history ?? null;
  }
  async listContainers() {
    this.check();
    return this.containers;
  }
  async inspectContainer(id: string) {
    this.check();
    const c = this.containers.find((x) => x.Id === id);
    return c ? ({ State: { StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' } } as unknown as Docker.ContainerInspectInfo) : null;
  }
  /** Stands in for the export client: scanners made from it know which fake they read. */
  exportClient(): Docker {
    return { fakeEngine: this } as unknown as Docker;
  }
  async events() {
    this.check();
    const stream = new PassThrough();
    this.streams.push(stream);
    return stream;
  }
}
