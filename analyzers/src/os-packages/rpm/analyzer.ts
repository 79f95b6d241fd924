/**
 * rpm inventory: the package database in any of rpm's three formats, at its classic place
 * (`/var/lib/rpm`) or the newer `/usr/lib/sysimage/rpm` (Fedora 36+, SUSE; /var/lib/rpm is
 * then a symlink). One database file holds every package, so one file is enough.
 */
import type { Analyzer, Finding } from '../../analyzer.ts';
import { readRpmDatabase } from './database.ts';
import { toPackage } from './to-package.ts';

const DATABASE_FILES = new Set(
  ['/var/lib/rpm', '/usr/lib/sysimage/rpm', '/usr/share/rpm'].flatMap((dir) => [`${dir}/rpmdb.sqlite`, `${dir}/Packages`, `${dir}/Packages.db`]),
);

export const rpmAnalyzer: Analyzer = {
  name: 'os/rpm',
  version: 1,
  category: 'packages',
  // Large images (thousands of packages) reach a few hundred MiB of Berkeley DB.
  maxFileSize: 512 * 1024 * 1024,
  required(path, meta) {
    return (meta.kind === 'file' || meta.kind === 'hardlink') && DATABASE_FILES.has(path);
  },
  analyze(file, ctx): Finding[] {
    const { packages, problems } = readRpmDatabase(file.content);
    if (problems.length > 0) {
      ctx.note(`${file.path}: ${problems.length} problem${problems.length === 1 ? '' : 's'} reading the rpm database: ${problems.slice(0, 5).join('; ')}`);
    }
    return packages.map((p) => ({ kind: 'package', path: file.path, package: toPackage(p) }));
  },
};
