/**
 * Can the helper read this engine's layers in place? Yes when the engine is local (a unix
 * socket), stores images with the overlay2 driver (not rootless, not Docker Desktop's VM, not
 * the containerd image store), and its data root is on this machine and readable by the
 * helper's user (root, or a user given access). One small call per engine, so a helper with
 * several engines can ask each (prefer local, then in-place capable).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { describeTarget, type DockerTarget } from '../client.ts';

export type InPlaceCapability = { ok: true; dataRoot: string } | { ok: false; reason: string };

export interface EngineForCapability {
  docker: Dockerode;
  target: DockerTarget;
}

/** The parts of `docker info` the decision reads. */
export interface EngineInfoForCapability {
  Driver?: string;
  DriverStatus?: Array<[string, string]>;
  DockerRootDir?: string;
  SecurityOptions?: string[];
  OperatingSystem?: string;
}

function whoAmI(): string {
  return typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'this user';
}

/** Decides from `docker info` and the file system; `info` may be given (already fetched). */
export async function inPlaceCapability(engine: EngineForCapability, given?: EngineInfoForCapability): Promise<InPlaceCapability> {
  if (engine.target.kind !== 'unix') return { ok: false, reason: `the engine is reached over ${describeTarget(engine.target)}, so its layer store is not on this machine` };
  let info: EngineInfoForCapability;
  try {
    info = given ?? ((await engine.docker.info()) as EngineInfoForCapability);
  } catch (error) {
    return { ok: false, reason: `docker info failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (info.Driver !== 'overlay2') return { ok: false, reason: `the engine stores images with the ${info.Driver ?? 'unknown'} driver, not overlay2` };
  if ((info.SecurityOptions ?? []).some((o) => o.includes('name=rootless'))) return { ok: false, reason: 'the engine runs rootless (its layer folders use user xattrs and another owner)' };
  if (/docker desktop/i.test(info.OperatingSystem ?? '')) return { ok: false, reason: 'the engine runs in Docker Desktop\'s virtual machine' };
  const userXattr = (info.DriverStatus ?? []).find(([key]) => key === 'userxattr')?.[1];
  if (userXattr === 'true') return { ok: false, reason: 'the overlay2 driver uses user xattrs (userxattr: true)' };
  const dataRoot = info.DockerRootDir;
  if (!dataRoot) return { ok: false, reason: 'docker info names no data root' };
  for (const dir of [join(dataRoot, 'image', 'overlay2', 'layerdb', 'sha256'), join(dataRoot, 'overlay2')]) {
    try {
      await access(dir, constants.R_OK | constants.X_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, reason: `Docker's data root ${dataRoot} is not on this machine (${dir} does not exist here)` };
      return { ok: false, reason: `the helper (${whoAmI()}) cannot read Docker's layer store ${dir} (${code ?? 'no access'}); run it as root or give it read access` };
    }
  }
  return { ok: true, dataRoot };
}
