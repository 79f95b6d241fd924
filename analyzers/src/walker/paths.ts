/**
 * Path rules for layer entries. Tar names are relative (`./usr/bin/x`, `usr/bin/x`), may
 * carry `..` and, in hostile archives, try to climb out of the image root.
 */

/** Resolves `.`/`..` segments; `null` if the path climbs above the root. */
function resolveSegments(segments: string[]): string[] | null {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out;
}

/**
 * The absolute image path of a tar entry name, e.g. `./etc/passwd` → `/etc/passwd`.
 * Returns `null` for names that escape the root (`../x`, `a/../../x`): Docker refuses those too.
 */
export function normalizeEntryPath(name: string): string | null {
  const segments = resolveSegments(name.split('/'));
  if (segments === null) return null;
  return `/${segments.join('/')}`;
}

/**
 * Where a symlink at `linkPath` points, as an absolute image path. Relative targets resolve
 * against the link's directory; `..` above the root stays at the root (as the kernel does
 * inside a chroot), so a target can never leave the image.
 */
export function resolveLinkTarget(linkPath: string, target: string): string {
  const base = target.startsWith('/') ? [] : dirname(linkPath).split('/');
  const out: string[] = [];
  for (const segment of [...base, ...target.split('/')]) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `dir` itself or lies below it. */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '/') return true;
  return path === dir || path.startsWith(`${dir}/`);
}

export type WhiteoutKind = { kind: 'delete'; path: string } | { kind: 'opaque'; dir: string } | { kind: 'meta' };

/** OCI/AUFS whiteout entries: `.wh.<name>` deletes `<name>`, `.wh..wh..opq` makes its directory opaque. */
export function parseWhiteout(path: string): WhiteoutKind | null {
  const name = basename(path);
  if (!name.startsWith('.wh.')) return null;
  const dir = dirname(path);
  if (name === '.wh..wh..opq') return { kind: 'opaque', dir };
  // Other `.wh..wh.*` names are AUFS bookkeeping (hard-link directories), not deletions.
  if (name.startsWith('.wh..wh.')) return { kind: 'meta' };
  const target = name.slice('.wh.'.length);
  return { kind: 'delete', path: dir === '/' ? `/${target}` : `${dir}/${target}` };
}
