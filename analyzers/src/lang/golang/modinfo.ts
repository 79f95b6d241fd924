/**
 * Module info text → packages: the main module, every dependency (a `=>` line replaces the
 * `dep` before it, as in `go version -m`), and the toolchain as `stdlib`.
 */
import { golangPurl } from '../purl.ts';
import type { LangPackage } from '../finding.ts';
import type { GoBuildInfo } from './buildinfo.ts';

/** `go1.21.3 X:loopvar` → `v1.21.3`; `go1.20` → `v1.20.0`; `go1.21rc2` → `v1.21.0-rc.2`. */
export function stdlibVersion(goVersion: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?/.exec(goVersion);
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  return `v${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}

/**
 * Build settings worth keeping in a report: platform, cgo, experiments, VCS stamp. Flags such
 * as -ldflags can be long and may carry values baked in at build time, so they are left out.
 */
const KEPT_BUILD_SETTINGS = new Set(['GOOS', 'GOARCH', 'GOAMD64', 'GOARM', 'CGO_ENABLED', 'GOEXPERIMENT', 'GOFIPS140', '-buildmode', '-compiler', '-trimpath', '-tags', 'vcs', 'vcs.revision', 'vcs.time', 'vcs.modified']);

export function goModules(info: GoBuildInfo): LangPackage[] {
  const packages: LangPackage[] = [];
  const settings: Record<string, string> = {};
  let last: LangPackage | undefined;
  for (const line of info.modInfo.split('\n')) {
    const [kind, path, version] = line.split('\t');
    if (kind === 'build' && path) {
      const eq = path.indexOf('=');
      if (eq > 0 && KEPT_BUILD_SETTINGS.has(path.slice(0, eq))) settings[path.slice(0, eq)] = path.slice(eq + 1);
    }
    if ((kind === 'mod' || kind === 'dep') && path) {
      last = {
        name: path,
        version: version ?? '',
        purl: golangPurl(path, version && version !== '(devel)' ? version : undefined),
        metadata: kind === 'mod' ? { main: true } : {},
      };
      packages.push(last);
    } else if (kind === '=>' && path && last) {
      const original = `${last.name}@${last.version}`;
      // `=> ../dir (devel)`: a directory replacement has a file path and no module version.
      const isDirectory = path.startsWith('.') || path.startsWith('/') || !version || version === '(devel)';
      if (!isDirectory) {
        // A module replacement: the code compiled in is the replacement.
        Object.assign(last, { name: path, version, purl: golangPurl(path, version), metadata: { ...last.metadata, replaces: original } });
      } else {
        // A local directory replacement: keep the module identity, say where the code came from.
        last.metadata = { ...last.metadata, replacedByDirectory: path };
      }
    }
  }
  const stdlib = stdlibVersion(info.goVersion);
  if (stdlib) packages.push({ name: 'stdlib', version: stdlib, purl: golangPurl('stdlib', stdlib), metadata: { toolchain: info.goVersion, ...(Object.keys(settings).length ? { build: settings } : {}) } });
  return packages;
}
