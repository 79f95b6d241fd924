/**
 * package-lock.json / npm-shrinkwrap.json: v1 (nested `dependencies`) and v2/v3 (flat
 * `packages` keyed by install path; v2 carries both, and `packages` wins).
 *
 * Kept: what `npm ci --omit=dev` installs under node_modules. Left out: dev-only entries
 * (`dev: true`; when installed, the node_modules inventory sees them anyway), links and
 * workspace folders (the project's own code), and non-registry versions (git, file:).
 */
import semver from 'semver';
import { isRecord, parseJsonObject } from '../file-analyzer.ts';
import { npmPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';
import { npmLicenses } from './licenses.ts';

function lockPackage(name: string, version: unknown, manifest: Record<string, unknown>): LangPackage | undefined {
  if (typeof version !== 'string' || !semver.valid(version, { loose: true })) return undefined;
  const licenses = npmLicenses(manifest);
  return { name, version, purl: npmPurl(name, version), metadata: licenses.length ? { licenses } : {} };
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`; undefined for paths outside node_modules. */
function nameFromInstallPath(path: string): string | undefined {
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  return at < 0 ? undefined : path.slice(at + marker.length);
}

function parsePackagesV2(packages: Record<string, unknown>): LangPackage[] {
  const out: LangPackage[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    if (!isRecord(entry) || entry.link === true || entry.dev === true) continue;
    const installedAs = nameFromInstallPath(path);
    if (!installedAs) continue; // the root project and workspace folders
    // An alias (`"x": "npm:real@1"`) is installed under its alias; `name` is the real package.
    const name = typeof entry.name === 'string' ? entry.name : installedAs;
    const pkg = lockPackage(name, entry.version, entry);
    if (pkg) out.push(pkg);
  }
  return out;
}

function parseDependenciesV1(dependencies: Record<string, unknown>, out: LangPackage[]): void {
  for (const [installedAs, entry] of Object.entries(dependencies)) {
    if (!isRecord(entry)) continue;
    if (entry.dev !== true) {
      // v1 aliases keep `npm:real@1.2.3` in `version`.
      const alias = typeof entry.version === 'string' ? /^npm:(@?[^@]+)@(.+)$/.exec(entry.version) : null;
      const pkg = alias ? lockPackage(alias[1]!, alias[2], entry) : lockPackage(installedAs, entry.version, entry);
      if (pkg) out.push(pkg);
    }
    if (isRecord(entry.dependencies)) parseDependenciesV1(entry.dependencies, out);
  }
}

export function parsePackageLock(content: Buffer): LangPackage[] {
  const lock = parseJsonObject(content);
  if (isRecord(lock.packages)) return uniqueByPurl(parsePackagesV2(lock.packages));
  const out: LangPackage[] = [];
  if (isRecord(lock.dependencies)) parseDependenciesV1(lock.dependencies, out);
  return uniqueByPurl(out);
}
