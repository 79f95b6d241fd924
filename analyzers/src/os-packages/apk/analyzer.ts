/** apk inventory (Alpine, Wolfi, Chainguard): `/lib/apk/db/installed`. */
import type { Analyzer, Finding } from '../../analyzer.ts';
import { purl } from '../../purl.ts';
import { parseApkInstalled } from './installed.ts';

const INSTALLED = '/lib/apk/db/installed';

export const apkAnalyzer: Analyzer = {
  name: 'os/apk',
  version: 1,
  category: 'packages',
  maxFileSize: 64 * 1024 * 1024,
  required: (path, meta) => path === INSTALLED && (meta.kind === 'file' || meta.kind === 'hardlink'),
  analyze(file, ctx): Finding[] {
    const { packages, rejected } = parseApkInstalled(file.content.toString('utf8'));
    if (rejected.length > 0) ctx.note(`${file.path}: skipped ${rejected.length} malformed entr${rejected.length === 1 ? 'y' : 'ies'} (${rejected.slice(0, 5).join(', ')})`);
    // Generic until the OS is known; the scan qualifies them (`Alpine:v3.19`, distro=3.19.1).
    return packages.map((p) => ({
      kind: 'package',
      path: file.path,
      package: {
        ecosystem: 'Alpine',
        name: p.name,
        version: p.version,
        sourceName: p.origin,
        sourceVersion: p.version,
        purl: purl({ type: 'apk', namespace: 'alpine', name: p.name, version: p.version, qualifiers: { arch: p.arch ?? undefined } }),
        ...(p.arch ? { arch: p.arch } : {}),
        metadata: { ...(p.license ? { licenses: [p.license] } : {}), ...(p.maintainer ? { maintainer: p.maintainer } : {}) },
      },
    }));
  },
};
