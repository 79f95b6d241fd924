/**
 * Cargo.lock (v1–v4, TOML `[[package]]` tables). Packages without a `source` are the
 * workspace's own crates (path dependencies, the application itself) and are left out:
 * crates.io advisories are about published crates.
 */
import { parse as parseToml } from 'smol-toml';
import { baseName, isRecord, langFileAnalyzer } from '../file-analyzer.ts';
import { cargoPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';

export function parseCargoLock(content: Buffer): LangPackage[] {
  const lock = parseToml(content.toString('utf8'));
  const packages = Array.isArray(lock.package) ? lock.package : [];
  const out: LangPackage[] = [];
  for (const entry of packages) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') continue;
    if (typeof entry.source !== 'string') continue;
    out.push({
      name: entry.name,
      version: entry.version,
      purl: cargoPurl(entry.name, entry.version),
      metadata: entry.source.startsWith('registry+') || entry.source.startsWith('sparse+') ? {} : { source: entry.source },
    });
  }
  return uniqueByPurl(out);
}

/** Crates unpacked in Cargo's download cache (`$CARGO_HOME/registry`, `/git`) carry their own lockfiles: sources, not the application. */
export function isApplicationCargoLock(path: string): boolean {
  return baseName(path) === 'Cargo.lock' && !/\/\.?cargo\/(?:registry|git)\//.test(path);
}

export const cargoLockAnalyzer = langFileAnalyzer({
  name: 'lang/cargo-lock',
  version: 1,
  ecosystem: 'crates.io',
  maxFileSize: 16 * 1024 * 1024,
  matches: isApplicationCargoLock,
  parse: parseCargoLock,
});
