/** dpkg inventory: `/var/lib/dpkg/status`, and distroless images' `/var/lib/dpkg/status.d/*`. */
import type { Analyzer, Finding } from '../../analyzer.ts';
import { purl } from '../../purl.ts';
import { parseDpkgStatus } from './status.ts';

const STATUS = '/var/lib/dpkg/status';
const STATUS_DIR = '/var/lib/dpkg/status.d/';

export const dpkgAnalyzer: Analyzer = {
  name: 'os/dpkg',
  version: 1,
  category: 'packages',
  maxFileSize: 64 * 1024 * 1024,
  required(path, meta) {
    if (meta.kind !== 'file' && meta.kind !== 'hardlink') return false;
    if (path === STATUS) return true;
    // status.d holds one control file per package, plus `<pkg>.md5sums` lists.
    return path.startsWith(STATUS_DIR) && !path.slice(STATUS_DIR.length).includes('/') && !path.endsWith('.md5sums');
  },
  analyze(file, ctx): Finding[] {
    const { packages, rejected } = parseDpkgStatus(file.content.toString('utf8'));
    if (rejected.length > 0) ctx.note(`${file.path}: skipped ${rejected.length} malformed entr${rejected.length === 1 ? 'y' : 'ies'} (${rejected.slice(0, 5).join(', ')})`);
    // Generic until the OS is known; the scan qualifies them (`Debian:12`, distro=debian-12).
    return packages.map((p) => ({
      kind: 'package',
      path: file.path,
      package: {
        ecosystem: 'Debian',
        name: p.name,
        version: p.version,
        sourceName: p.sourceName,
        sourceVersion: p.sourceVersion,
        purl: purl({ type: 'deb', namespace: 'debian', name: p.name, version: p.version, qualifiers: { arch: p.architecture ?? undefined } }),
        ...(p.architecture ? { arch: p.architecture } : {}),
        ...(p.maintainer ? { metadata: { maintainer: p.maintainer } } : {}),
      },
    }));
  },
};
