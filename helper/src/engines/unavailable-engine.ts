/** An engine that cannot be made (its context is gone, its URL no longer passes): offline, saying why. */
import type { DockerEngine } from '../docker/engine.ts';
import { DockerUnavailableError } from '../http/errors.ts';

export function unavailableEngine(reason: string): DockerEngine {
  const fail = async (): Promise<never> => {
    throw new DockerUnavailableError(reason);
  };
  return { version: fail, info: fail, listImages: fail, inspectImage: fail, imageHistory: fail, listContainers: fail, inspectContainer: fail, events: fail };
}
