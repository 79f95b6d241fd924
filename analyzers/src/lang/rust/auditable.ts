/**
 * Rust binaries built with cargo-auditable: the `.dep-v0` ELF section holds zlib-compressed
 * JSON `{packages: [{name, version, source, kind, dependencies, root}]}`. Kept: crates linked
 * into the binary (`kind` runtime) from a registry or git; build-time-only crates and the
 * workspace's own (`source: local`) crates are left out, as for Cargo.lock.
 */
import { inflateSync } from 'node:zlib';
import { readElf, sectionData } from '../binary/elf.ts';
import { executableAnalyzer } from '../binary/executable-analyzer.ts';
import { isRecord } from '../file-analyzer.ts';
import { cargoPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';

/** The JSON is small (a few KB per hundred crates); refuse anything absurd. */
const MAX_INFLATED = 16 * 1024 * 1024;

export function readAuditableDependencies(content: Buffer): LangPackage[] | undefined {
  const elf = readElf(content);
  const section = elf && sectionData(elf, '.dep-v0');
  if (!section) return undefined;
  const json: unknown = JSON.parse(inflateSync(section, { maxOutputLength: MAX_INFLATED }).toString('utf8'));
  if (!isRecord(json) || !Array.isArray(json.packages)) throw new Error('.dep-v0 has no packages list');
  const out: LangPackage[] = [];
  for (const entry of json.packages) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') continue;
    if (entry.kind === 'build' || entry.source === 'local') continue;
    const source = typeof entry.source === 'string' ? entry.source : 'crates.io';
    out.push({ name: entry.name, version: entry.version, purl: cargoPurl(entry.name, entry.version), metadata: source === 'crates.io' ? {} : { source } });
  }
  return uniqueByPurl(out);
}

export const cargoAuditableAnalyzer = executableAnalyzer({
  name: 'lang/cargo-auditable',
  version: 1,
  ecosystem: 'crates.io',
  read: readAuditableDependencies,
});
