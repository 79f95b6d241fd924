/**
 * A `LayerSource` over one of Docker's overlay2 layer folders (`<data root>/overlay2/<id>/diff`),
 * read in place instead of exported. The folder holds the layer as the kernel's overlayfs
 * stores it, which is not how a layer tar says the same thing, so the entries are translated
 * into what `docker save` would have written for them:
 * - a 0/0 character device is a deletion: entry `.wh.<name>`;
 * - a folder with the `trusted.overlay.opaque=y` xattr hides the lower layers' content:
 *   entry `<folder>/.wh..wh..opq` after the folder itself;
 * - files sharing an inode are one file and hard links to it, the first path met being the
 *   file (as a tar writer does);
 * - symlinks carry their target as written; other devices, fifos and sockets are `other`.
 * Folders are walked depth first in byte order of their names, a folder before its content:
 * the order Docker's own tar writer uses. Only what an analyzer asks for is read, and only
 * up to what it asked: a sparse file's holes are never read past that. Contents are read into
 * a buffer the source reuses (ReadBuffer): each is valid until the next entry.
 *
 * The walk uses synchronous calls: it runs in a worker thread, where they are the fastest
 * way through a million small files and block nobody.
 */
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { getAttributeSync } from '@napi-rs/xattr';
import type { FileKind } from '../analyzer.ts';
import type { LayerEntry, LayerSource } from './layer-source.ts';
import { ReadBuffer } from './read-buffer.ts';

/** The xattr overlayfs (and Docker's layer unpacking) sets on an opaque folder. */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export type InPlaceFailure = 'missing' | 'unreadable' | 'io';

/**
 * Reading the folder failed. `missing`: a path vanished (Docker removed the layer, e.g. the
 * image was deleted mid-scan); `unreadable`: permission denied (the export path can still
 * read it); `io`: anything else.
 */
export class InPlaceReadError extends Error {
  override name = 'InPlaceReadError';
  constructor(
    readonly failure: InPlaceFailure,
    message: string,
  ) {
    super(message);
  }
}

function failureOf(error: unknown): InPlaceFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable';
  return 'io';
}

function wrap(label: string, relative: string, what: string, error: unknown): InPlaceReadError {
  const failure = failureOf(error);
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  const where = relative ? ` (${relative})` : '';
  const text =
    failure === 'missing'
      ? `layer ${label}: ${what} failed${where}: ${reason}: the layer's files are gone from Docker's layer store (was the image removed?)`
      : `layer ${label}: ${what} failed${where}: ${reason}`;
  return new InPlaceReadError(failure, text);
}

/** Reads up to `maxBytes` of a file from its start, into `into`'s buffer. */
function readHead(path: string, size: number, maxBytes: number, into: ReadBuffer): Buffer {
  const want = Math.max(0, Math.min(size, maxBytes));
  const fd = openSync(path, 'r');
  try {
    const buffer = into.take(want);
    let filled = 0;
    while (filled < want) {
      const n = readSync(fd, buffer, filled, want - filled, filled);
      if (n === 0) break; // shorter than its size said: what is there is what the layer holds
      filled += n;
    }
    return filled === buffer.length ? buffer : buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

function isOpaque(path: string): boolean {
  const value = getAttributeSync(path, OPAQUE_XATTR);
  return value !== null && value.toString() === 'y';
}

function kindOf(stats: Stats): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

function entry(name: string, kind: FileKind, size: number, mode: number, read: (maxBytes: number) => Buffer, linkname?: string): LayerEntry {
  let consumed = false;
  const once = async (maxBytes: number) => {
    if (consumed) throw new Error(`entry ${name} read twice`);
    consumed = true;
    return read(maxBytes);
  };
  return {
    name,
    kind,
    size,
    mode,
    ...(linkname !== undefined ? { linkname } : {}),
    // A hard link's content is the file's own: read it here, whichever shard holds the first name.
    ...(kind === 'hardlink' ? { read: async () => Buffer.alloc(0), readLinkTarget: once } : { read: once }),
  };
}

const nothing = () => Buffer.alloc(0);

interface Frame {
  /** The folder, relative to the layer root ('' is the root). */
  dir: string;
  names: Dirent[];
  next: number;
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `owns`: the paths (`/a/b`) the walk analyses, when it is one shard of the layer. Another
 * shard's file is listed by name only (no lstat: each shard would otherwise lstat every file
 * of the layer); folders and character devices (whiteouts) are always read in full, for the
 * layout shard 0 keeps. A hard link's first name may be such a file: an owned file with more
 * than one link has the names passed over before it looked at first (hard links are rare).
 */
export function overlayLayerSource(diffDir: string, label: string, owns?: (path: string) => boolean): LayerSource {
  return new OverlayLayerSource(diffDir, label, owns);
}

/**
 * A class, so that `entries` is one generator function for every layer: an `async *entries()`
 * made per source gives each walk's generator objects a map of their own, and the walk's
 * optimised code, which checks that map, was thrown away after every layer (V8's
 * --trace-deopt: "weak objects") and compiled again: 36 times for the 14 layers of the 2 GB
 * image of `pnpm bench scan-engine`, ~60 ms of compiling each, and the walk ran slower meanwhile.
 */
class OverlayLayerSource implements LayerSource {
  private readonly readBuffer = new ReadBuffer();

  constructor(
    private readonly diffDir: string,
    readonly label: string,
    private readonly owns: ((path: string) => boolean) | undefined,
  ) {}

  private list(relativeDir: string): Frame {
    try {
      // Code unit order: byte order for every name below U+E000, i.e. all but the rarest.
      return { dir: relativeDir, names: readdirSync(relativeDir ? join(this.diffDir, relativeDir) : this.diffDir, { withFileTypes: true }).sort(byName), next: 0 };
    } catch (error) {
      throw wrap(this.label, relativeDir, 'listing a folder', error);
    }
  }

  private lstatOrWrap(full: string, relative: string): Stats {
    try {
      return lstatSync(full);
    } catch (error) {
      throw wrap(this.label, relative, 'lstat', error);
    }
  }

  private readOrWrap(full: string, size: number, maxBytes: number, relative: string): Buffer {
    try {
      return readHead(full, size, maxBytes, this.readBuffer);
    } catch (error) {
      throw wrap(this.label, relative, 'reading a file', error);
    }
  }

  async *entries(): AsyncGenerator<LayerEntry> {
    const { diffDir, label, owns } = this;
    const firstPathOfInode = new Map<number, string>();
    /** Other shards' files passed over without an lstat, in walk order (for hard links' first names). */
    let passedOver: string[] = [];
    const notePassedOver = () => {
      for (const relative of passedOver) {
        const stats = this.lstatOrWrap(join(diffDir, relative), relative);
        if (stats.isFile() && stats.nlink > 1 && !firstPathOfInode.has(stats.ino)) firstPathOfInode.set(stats.ino, relative);
      }
      passedOver = [];
    };
    const stack: Frame[] = [this.list('')];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next === frame.names.length) {
        stack.pop();
        continue;
      }
      const dirent = frame.names[frame.next++]!;
      const name = dirent.name;
      const relative = frame.dir ? `${frame.dir}/${name}` : name;
      const full = join(diffDir, relative);
      if (owns && !dirent.isDirectory() && !dirent.isCharacterDevice() && !owns(`/${relative}`)) {
        // Another shard's: the walk needs only its name (shard 0 records what the layer writes).
        passedOver.push(relative);
        yield entry(relative, 'file', 0, 0, nothing);
        continue;
      }
      const stats = this.lstatOrWrap(full, relative);
      const mode = stats.mode & 0o7777;
      if (stats.isCharacterDevice() && stats.rdev === 0) {
        yield entry(frame.dir ? `${frame.dir}/.wh.${name}` : `.wh.${name}`, 'file', 0, 0, nothing);
        continue;
      }
      if (stats.isDirectory()) {
        // A folder comes before its content, as in a tar Docker writes.
        yield entry(`${relative}/`, 'directory', 0, mode, nothing);
        let opaque: boolean;
        try {
          opaque = isOpaque(full);
        } catch (error) {
          throw wrap(label, relative, 'reading the opaque xattr', error);
        }
        if (opaque) yield entry(`${relative}/.wh..wh..opq`, 'file', 0, 0, nothing);
        stack.push(this.list(relative));
        continue;
      }
      if (stats.isSymbolicLink()) {
        let target: string;
        try {
          target = readlinkSync(full);
        } catch (error) {
          throw wrap(label, relative, 'readlink', error);
        }
        yield entry(relative, 'symlink', 0, mode, nothing, target);
        continue;
      }
      const kind = kindOf(stats);
      if (kind === 'file' && stats.nlink > 1) {
        if (passedOver.length > 0) notePassedOver();
        const first = firstPathOfInode.get(stats.ino);
        if (first !== undefined) {
          yield entry(relative, 'hardlink', 0, mode, (maxBytes) => this.readOrWrap(full, stats.size, maxBytes, relative), first);
          continue;
        }
        firstPathOfInode.set(stats.ino, relative);
      }
      const size = kind === 'file' ? stats.size : 0;
      yield entry(relative, kind, size, mode, (maxBytes) => this.readOrWrap(full, size, maxBytes, relative));
    }
  }
}
