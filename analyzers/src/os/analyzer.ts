/**
 * OS detection. Each release file yields a claim with a priority; the merge keeps the
 * highest-priority claim still present in the final filesystem (os-release wins over the
 * older distribution-specific files, which remain for images that lack it).
 */
import type { OsInfo } from '@shipshape/shared';
import type { Analyzer, Finding } from '../analyzer.ts';
import { osFromOsRelease, osFromRedhatRelease } from './os-release.ts';

const detectors = new Map<string, { priority: number; detect(text: string): OsInfo | null }>([
  ['/etc/os-release', { priority: 100, detect: osFromOsRelease }],
  ['/usr/lib/os-release', { priority: 90, detect: osFromOsRelease }],
  ['/etc/alpine-release', { priority: 80, detect: (t) => (t.trim() ? { family: 'alpine', version: t.trim() } : null) }],
  ['/etc/redhat-release', { priority: 70, detect: osFromRedhatRelease }],
  ['/etc/debian_version', { priority: 60, detect: (t) => (t.trim() ? { family: 'debian', version: t.trim() } : null) }],
]);

const DISTROLESS_STATUS_DIR = '/var/lib/dpkg/status.d/';

export const osReleaseAnalyzer: Analyzer = {
  name: 'os/release',
  version: 1,
  category: 'os',
  maxFileSize: 64 * 1024,
  required(path, meta) {
    if (meta.kind !== 'file' && meta.kind !== 'hardlink') return false;
    return detectors.has(path) || (path.startsWith(DISTROLESS_STATUS_DIR) && !path.endsWith('.md5sums'));
  },
  analyze(file, ctx): Finding[] {
    const detector = detectors.get(file.path);
    if (!detector) {
      // Distroless images keep one dpkg status file per package and often no release file.
      return [{ kind: 'os', path: file.path, os: { family: 'distroless', version: '' }, priority: 10 }];
    }
    const os = detector.detect(file.content.toString('utf8'));
    if (!os) {
      ctx.note(`${file.path}: no distribution name found`);
      return [];
    }
    return [{ kind: 'os', path: file.path, os, priority: detector.priority }];
  },
};
