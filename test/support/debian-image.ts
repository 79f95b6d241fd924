/**
 * A realistic Debian 12 image built from Debian's own packages, offline from Docker Hub:
 * `mmdebstrap --variant=minbase` → `docker import` → one `docker build` step on top, so the
 * image has a real multi-step history. Cached twice: the tag in Docker (instant), and the
 * rootfs tarball under test/.cache/ (a fresh daemon re-imports without mmdebstrap).
 * Several test files and agents call this at once: a mkdir lock serialises the build.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildImage, docker } from './docker.ts';

const run = promisify(execFile);

export const DEBIAN_IMAGE_TAG = 'shipshape-test/debian:bookworm';
const BASE_TAG = 'shipshape-test/debian:bookworm-base';
/** Same mirror as the machine's apt sources (deb.debian.org). */
const MIRROR = 'http://deb.debian.org/debian';
const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache');
const rootfsTar = join(cacheDir, 'debian-bookworm-minbase.tar');
const lockDir = join(cacheDir, 'debian-image.lock');

export async function ensureDebianImage(): Promise<{ tag: string; id: string }> {
  const existing = await imageId(DEBIAN_IMAGE_TAG);
  if (existing) return { tag: DEBIAN_IMAGE_TAG, id: existing };
  return withLock(async () => {
    const built = await imageId(DEBIAN_IMAGE_TAG); // another caller may have finished while we waited
    if (built) return { tag: DEBIAN_IMAGE_TAG, id: built };
    if (!(await imageId(BASE_TAG))) {
      if (!existsSync(rootfsTar)) await bootstrapRootfs();
      await run('docker', ['import', '--change', 'CMD ["bash"]', '--message', 'mmdebstrap minbase bookworm', rootfsTar, BASE_TAG]);
    }
    const id = await buildTopLayer();
    return { tag: DEBIAN_IMAGE_TAG, id };
  });
}

async function imageId(tag: string): Promise<string | null> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch {
    return null;
  }
}

async function bootstrapRootfs(): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const partial = `${rootfsTar}.partial`;
  await rm(partial, { force: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('mmdebstrap', ['--variant=minbase', '--format=tar', '--quiet', 'bookworm', partial, MIRROR], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mmdebstrap failed (${code}): ${stderr}`))));
  });
  await rename(partial, rootfsTar);
}

/** One RUN step that installs a package from the mirror; without network, a step that still changes files. */
async function buildTopLayer(): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'shipshape-debian-'));
  try {
    const dockerfile = (run: string) =>
      [
        `FROM ${BASE_TAG}`,
        'LABEL org.opencontainers.image.title="shipshape test debian"',
        'ENV LANG=C.UTF-8',
        `RUN ${run}`,
        'COPY motd /etc/motd',
        'CMD ["bash"]',
        '',
      ].join('\n');
    await writeFile(join(context, 'motd'), 'Shipshape test image\n');
    await writeFile(
      join(context, 'Dockerfile'),
      dockerfile('apt-get update && apt-get install -y --no-install-recommends ca-certificates && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'),
    );
    try {
      return await buildImage(context, DEBIAN_IMAGE_TAG, { network: 'host' });
    } catch {
      await writeFile(join(context, 'Dockerfile'), dockerfile('useradd --create-home app && echo offline > /etc/shipshape-build'));
      return await buildImage(context, DEBIAN_IMAGE_TAG, { network: 'none' });
    }
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** mkdir is atomic: the holder writes its pid; a lock whose holder is gone is taken over. */
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(cacheDir, { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await holderIsGone()) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function holderIsGone(): Promise<boolean> {
  const pid = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''));
  if (!pid) {
    // The holder may be between mkdir and writing its pid; only a long-silent lock is abandoned.
    const since = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
    return since > 60_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
