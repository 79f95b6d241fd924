/**
 * Installed npm packages: `node_modules/<name>/package.json` and
 * `node_modules/@scope/<name>/package.json`, at any depth (nested installs, pnpm's
 * `.pnpm/<id>/node_modules/…`, global `/usr/lib/node_modules`, `/usr/local/lib/node_modules`).
 *
 * Only a package's root manifest counts, as with `npm ls`: package.json files deeper inside a
 * package (test fixtures, examples, sub-path `exports` stubs) are not installed packages.
 */
import { langFileAnalyzer, parseJsonObject, stringField } from '../file-analyzer.ts';
import { npmPurl } from '../purl.ts';
import type { LangPackage } from '../finding.ts';
import { npmLicenses } from './licenses.ts';

// …/node_modules/<name>/package.json or …/node_modules/@scope/<name>/package.json; names
// starting with a dot (.bin, .cache, .pnpm) are npm's own folders, not packages.
const PACKAGE_ROOT_MANIFEST = /\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*\/package\.json$/;

// Yarn classic's offline cache unpacks every downloaded package as
// `…/.cache/yarn/v6/npm-<name>-<version>-<hash>/node_modules/<name>`: a download cache, not an install.
const YARN_CACHE = /\/\.cache\/yarn\/v\d+\//;

export function isInstalledPackageManifest(path: string): boolean {
  return path.endsWith('/package.json') && PACKAGE_ROOT_MANIFEST.test(path) && !YARN_CACHE.test(path);
}

export function parseInstalledPackage(content: Buffer): LangPackage[] {
  const manifest = parseJsonObject(content);
  const name = stringField(manifest, 'name');
  const version = stringField(manifest, 'version');
  // Without both, npm itself treats the folder as invalid; nothing to match against.
  if (!name || !version) return [];
  const licenses = npmLicenses(manifest);
  return [{ name, version, purl: npmPurl(name, version), metadata: licenses.length ? { licenses } : {} }];
}

export const npmInstalledAnalyzer = langFileAnalyzer({
  name: 'lang/npm',
  version: 1,
  ecosystem: 'npm',
  maxFileSize: 2 * 1024 * 1024,
  matches: isInstalledPackageManifest,
  parse: parseInstalledPackage,
});
