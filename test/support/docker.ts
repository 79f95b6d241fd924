/**
 * Test helpers around the real Docker Engine (the suites share one daemon with other agents:
 * everything a test creates is named `shipshape-test/...` and only that is ever removed).
 */
import Docker from 'dockerode';
import { createReadStream } from 'node:fs';

export const docker = new Docker();

/** `docker load` of an archive on disk (docker-save layout); returns the loaded image references. */
export async function loadImageArchive(path: string, client: Docker = docker): Promise<string[]> {
  const stream = await client.loadImage(createReadStream(path), { quiet: true });
  const messages = await followProgress(stream);
  const loaded: string[] = [];
  for (const message of messages) {
    const match = /Loaded image(?: ID)?: (\S+)/.exec(message.stream ?? '');
    if (match?.[1]) loaded.push(match[1]);
  }
  return loaded;
}

export type BuildOptions = { network?: 'host' | 'none' | 'default'; buildArgs?: Record<string, string> };

/** `docker build` of a directory; returns the image ID. Throws with the build's own error text. */
export async function buildImage(contextDir: string, tag: string, options: BuildOptions = {}): Promise<string> {
  const stream = await docker.buildImage(
    { context: contextDir, src: ['.'] },
    {
      t: tag,
      networkmode: options.network ?? 'default',
      buildargs: options.buildArgs ?? {},
      rm: true,
      forcerm: true,
    },
  );
  await followProgress(stream);
  const image = await docker.getImage(tag).inspect();
  return image.Id;
}

type ProgressMessage = { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } };

/** Reads a Docker JSON progress stream to the end; a message carrying `error` rejects. */
export function followProgress(stream: NodeJS.ReadableStream): Promise<ProgressMessage[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: ProgressMessage[]) => {
      if (error) return reject(error);
      const failed = output.find((m) => m.error);
      if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
      resolve(output);
    });
  });
}

/** Removes every image with a repo tag starting with `prefix` (e.g. `shipshape-test/helper-`), and its containers. */
export async function removeImages(prefix: string): Promise<void> {
  if (!prefix.startsWith('shipshape-test/')) throw new Error(`refusing to remove images outside shipshape-test/: ${prefix}`);
  const images = await docker.listImages({ all: false });
  const ids = images.filter((image) => (image.RepoTags ?? []).some((tag) => tag.startsWith(prefix))).map((image) => image.Id);
  if (ids.length === 0) return;
  const containers = await docker.listContainers({ all: true });
  for (const container of containers) {
    if (ids.includes(container.ImageID)) await docker.getContainer(container.Id).remove({ force: true }).catch(ignoreNotFound);
  }
  for (const id of ids) await docker.getImage(id).remove({ force: true }).catch(ignoreNotFound);
}

/** `docker create` (never started unless the caller starts it); the name makes cleanup easy. */
export async function createContainer(image: string, name: string, cmd: string[] = ['true']): Promise<Docker.Container> {
  await docker.getContainer(name).remove({ force: true }).catch(ignoreNotFound);
  return docker.createContainer({ Image: image, name, Cmd: cmd, HostConfig: { NetworkMode: 'none' } });
}

export async function removeContainer(name: string): Promise<void> {
  await docker.getContainer(name).remove({ force: true }).catch(ignoreNotFound);
}

/** Polls `predicate` until it returns a truthy value or `timeoutMs` passes; returns that value (never null). */
export async function waitFor<T>(predicate: () => Promise<T> | T, timeoutMs: number, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function ignoreNotFound(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
