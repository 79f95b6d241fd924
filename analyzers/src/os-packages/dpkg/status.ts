/**
 * dpkg's database of installed packages, read the way `dpkg-query -W` shows it:
 * `Source: name (version)` gives the source package and version (both default to the
 * binary's), and entries that are not installed (removed, only config files left) are skipped.
 */
import { parseParagraphs } from './control.ts';

export interface DpkgPackage {
  name: string;
  version: string;
  architecture: string | null;
  sourceName: string;
  sourceVersion: string;
  maintainer: string | null;
}

// Debian policy 5.6.12: [epoch:]upstream[-revision], upstream starting with a digit.
const VERSION = /^(?:\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;
// The want/eflag/status triple; only the last word says what is on disk.
const NOT_ON_DISK = new Set(['not-installed', 'config-files']);

export interface DpkgParseResult {
  packages: DpkgPackage[];
  /** Entries dropped because they are malformed (no name, no or invalid version). */
  rejected: string[];
}

export function parseDpkgStatus(text: string): DpkgParseResult {
  const packages: DpkgPackage[] = [];
  const rejected: string[] = [];
  for (const p of parseParagraphs(text)) {
    const name = p.get('package');
    const version = p.get('version');
    const status = p.get('status');
    if (status !== undefined && NOT_ON_DISK.has(status.split(/\s+/).pop() ?? '')) continue;
    if (!name || !version || !VERSION.test(version)) {
      rejected.push(name ?? '(no Package field)');
      continue;
    }
    const source = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(p.get('source') ?? '');
    const sourceVersion = source?.[2]?.trim();
    packages.push({
      name,
      version,
      architecture: p.get('architecture') ?? null,
      sourceName: source?.[1] ?? name,
      sourceVersion: sourceVersion && VERSION.test(sourceVersion) ? sourceVersion : version,
      maintainer: p.get('maintainer') ?? null,
    });
  }
  return { packages, rejected };
}
