/**
 * Test helper: writes a layer description as Docker's overlay2 driver stores an unpacked
 * layer (`overlay2/<id>/diff`): deletions as 0/0 character devices, opaque folders with the
 * `trusted.overlay.opaque=y` xattr, hard links as shared inodes. Needs root (mknod, trusted.*
 * xattrs), as Docker does.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setAttributeSync } from '@napi-rs/xattr';
import { OPAQUE_XATTR } from '../image/overlay-layer-source.ts';
import type { LayerSpec } from './image-archive.ts';

export function writeOverlayFolder(root: string, layer: LayerSpec): void {
  mkdirSync(root, { recursive: true });
  const at = (path: string) => join(root, path.replace(/^\/+/, ''));
  for (const dir of layer.opaqueDirs ?? []) {
    mkdirSync(at(dir), { recursive: true });
    setAttributeSync(at(dir), OPAQUE_XATTR, 'y');
  }
  for (const path of layer.whiteouts ?? []) {
    mkdirSync(dirname(at(path)), { recursive: true });
    execFileSync('mknod', [at(path), 'c', '0', '0']);
  }
  for (const file of layer.files) {
    const target = at(file.path);
    mkdirSync(dirname(target), { recursive: true });
    const type = file.type ?? 'file';
    if (type === 'dir') mkdirSync(target, { recursive: true });
    else if (type === 'symlink') symlinkSync(file.linkTarget ?? '', target);
    else if (type === 'hardlink') linkSync(at(file.linkTarget ?? ''), target);
    else {
      writeFileSync(target, file.content ?? '');
      chmodSync(target, file.mode ?? 0o644);
    }
  }
}
