/**
 * Composer: `vendor/composer/installed.json` (what is installed: v1 a bare array, v2
 * `{packages, dev-package-names}`) and `composer.lock` in application folders (what would be
 * installed; `packages-dev` left out as for other lockfiles, since `composer install --no-dev`
 * is how images are built). Installed dev packages are reported, flagged `dev`.
 */
import { baseName, isRecord, langFileAnalyzer, parseJsonObject } from '../file-analyzer.ts';
import { composerPurl } from '../purl.ts';
import type { LangPackage } from '../finding.ts';

function composerPackages(list: unknown, devNames: Set<string>): LangPackage[] {
  if (!Array.isArray(list)) return [];
  const out: LangPackage[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') continue;
    const licenses = Array.isArray(entry.license) ? entry.license.filter((l): l is string => typeof l === 'string') : [];
    out.push({
      name: entry.name,
      version: entry.version,
      purl: composerPurl(entry.name, entry.version),
      metadata: { ...(licenses.length ? { licenses } : {}), ...(devNames.has(entry.name) ? { dev: true } : {}) },
    });
  }
  return out;
}

export function parseInstalledJson(content: Buffer): LangPackage[] {
  const value: unknown = JSON.parse(content.toString('utf8'));
  if (Array.isArray(value)) return composerPackages(value, new Set()); // Composer 1
  if (!isRecord(value)) throw new Error('expected a JSON array or object');
  const devNames = new Set(Array.isArray(value['dev-package-names']) ? value['dev-package-names'].filter((n): n is string => typeof n === 'string') : []);
  return composerPackages(value.packages, devNames);
}

export function parseComposerLock(content: Buffer): LangPackage[] {
  return composerPackages(parseJsonObject(content).packages, new Set());
}

export function isComposerFile(path: string): boolean {
  if (path.endsWith('/vendor/composer/installed.json')) return true;
  return baseName(path) === 'composer.lock' && !path.includes('/vendor/');
}

export const composerAnalyzer = langFileAnalyzer({
  name: 'lang/composer',
  version: 1,
  ecosystem: 'Packagist',
  maxFileSize: 32 * 1024 * 1024,
  matches: isComposerFile,
  parse: (content, path) => (path.endsWith('/installed.json') ? parseInstalledJson(content) : parseComposerLock(content)),
});
