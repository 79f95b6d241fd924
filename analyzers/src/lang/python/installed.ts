/**
 * Installed Python distributions: `*.dist-info/METADATA` (wheels, pip), `*.egg-info/PKG-INFO`
 * (setuptools), `*.egg-info` files (distutils, Debian's python3-* packages) and
 * `*.egg/EGG-INFO/PKG-INFO` (zipped-egg folders). Names are normalised per PEP 503 so they
 * match advisories whatever the spelling (`Unidecode`, `zope.interface`, `typing_extensions`).
 */
import { langFileAnalyzer } from '../file-analyzer.ts';
import { normalizePypiName, pypiPurl } from '../purl.ts';
import type { LangPackage } from '../finding.ts';
import { coreMetadataLicenses, parseCoreMetadata } from './core-metadata.ts';

export function isPythonMetadataFile(path: string): boolean {
  return (
    (path.endsWith('/METADATA') && path.slice(0, -'/METADATA'.length).endsWith('.dist-info')) ||
    (path.endsWith('/PKG-INFO') && /\.egg-info\/PKG-INFO$|\.egg\/EGG-INFO\/PKG-INFO$/.test(path)) ||
    path.endsWith('.egg-info')
  );
}

export function parsePythonMetadata(content: Buffer): LangPackage[] {
  const headers = parseCoreMetadata(content.toString('utf8'));
  const name = headers.get('name')?.[0];
  const version = headers.get('version')?.[0];
  if (!name || !version) throw new Error('no Name or Version header');
  const licenses = coreMetadataLicenses(headers);
  const normalized = normalizePypiName(name);
  return [
    {
      name: normalized,
      version,
      purl: pypiPurl(name, version),
      metadata: { ...(normalized !== name ? { declaredName: name } : {}), ...(licenses.length ? { licenses } : {}) },
    },
  ];
}

export const pythonInstalledAnalyzer = langFileAnalyzer({
  name: 'lang/python',
  version: 1,
  ecosystem: 'PyPI',
  maxFileSize: 8 * 1024 * 1024,
  matches: isPythonMetadataFile,
  parse: parsePythonMetadata,
});
