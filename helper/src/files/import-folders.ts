/**
 * The folders the API may read files from. A path given through the API (a secret rule file,
 * a data-update source) must lie, after following every link, inside `<data dir>/imports/` or
 * a folder named when the helper was started (`serve --import-dir DIR`, SHIPSHAPE_IMPORT_DIRS);
 * anything else is refused before it is opened, so a stolen token cannot make the helper
 * (which runs with Docker's power, often as root) read a host file such as /etc/shadow.
 * The errors name the problem and the folders, never a file's content.
 */
import { mkdirSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export class OutsideImportFoldersError extends Error {
  override name = 'OutsideImportFoldersError';
}

export function importsDir(dataDir: string): string {
  return join(dataDir, 'imports');
}

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export class ImportFolders {
  /** `<data dir>/imports` first, then the folders named at start (normalised, absolute). */
  readonly folders: string[];

  constructor(dataDir: string, extra: readonly string[] = []) {
    this.folders = [...new Set([importsDir(dataDir), ...extra.map((d) => resolve(d))])];
  }

  /** Creates `<data dir>/imports` (owner only) so users have a place to put files. */
  ensure(): void {
    mkdirSync(this.folders[0]!, { recursive: true, mode: 0o700 });
  }

  describe(): string {
    return this.folders.join(', ');
  }

  /** The folders with their links followed (a folder that does not exist is left out). */
  async realFolders(): Promise<string[]> {
    const out: string[] = [];
    for (const folder of this.folders) {
      const real = await realpath(folder).catch(() => null);
      if (real) out.push(real);
    }
    return out;
  }

  /** A test for paths met while walking a folder: true when the real path stays inside. */
  async containment(): Promise<(realPath: string) => boolean> {
    const folders = await this.realFolders();
    return (path) => folders.some((f) => isWithin(f, path));
  }

  /**
   * The real path of `path` when it lies in an import folder, is a regular file or a folder
   * (`kind`), and every link on the way stays inside; throws OutsideImportFoldersError naming
   * `field` otherwise. Nothing outside the folders is opened, or even looked at.
   */
  async resolve(path: string, field: string, kind: 'file' | 'file-or-folder' = 'file-or-folder'): Promise<string> {
    const hint = `put it in ${this.folders[0]} (or start the helper with --import-dir naming its folder)`;
    if (!isAbsolute(path)) throw new OutsideImportFoldersError(`${field}: must be an absolute path`);
    const lexical = resolve(path);
    if (!this.folders.some((f) => isWithin(f, lexical))) {
      throw new OutsideImportFoldersError(`${field}: ${lexical} is outside the folders the helper may read files from (${this.describe()}): ${hint}`);
    }
    const exists = await lstat(lexical).then(
      () => true,
      () => false,
    );
    if (!exists) throw new OutsideImportFoldersError(`${field}: ${lexical} does not exist`);
    const real = await realpath(lexical).catch(() => null);
    const inside = await this.containment();
    if (!real || !inside(real)) {
      throw new OutsideImportFoldersError(`${field}: ${lexical} is a link to a place outside the folders the helper may read files from (${this.describe()}): ${hint}`);
    }
    const info = await stat(real);
    const ok = info.isFile() || (kind === 'file-or-folder' && info.isDirectory());
    if (!ok) throw new OutsideImportFoldersError(`${field}: ${lexical} is not a ${kind === 'file' ? 'regular file' : 'regular file or folder'}`);
    return real;
  }
}
