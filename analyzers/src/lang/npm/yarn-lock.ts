/**
 * yarn.lock, classic (v1, yarn's own indented format) and berry (v2+, YAML with
 * `__metadata`). Only packages fetched from the registry are kept: local folders, links,
 * workspaces, patches of another entry and unknown protocols name nothing to match.
 */
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../file-analyzer.ts';
import { npmPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';

/** `name@range` → name (scoped names start with `@`, so search after the first char). */
function nameOfDescriptor(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? descriptor : descriptor.slice(0, at);
}

function rangeOfDescriptor(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? '' : descriptor.slice(at + 1);
}

const unquote = (text: string) => text.trim().replace(/^"(.*)"$/, '$1');

/** A v1 range is a registry one when it is a semver range, a tag, or `npm:` (alias). */
function isRegistryRangeV1(range: string): boolean {
  const protocol = /^([a-z][a-z0-9+.-]*):/i.exec(range)?.[1]?.toLowerCase();
  return protocol === undefined || protocol === 'npm';
}

/** Alias `alias@npm:real@^1` installs `real`: the real name is what advisories know. */
function registryNameV1(descriptor: string): string {
  const range = rangeOfDescriptor(descriptor);
  if (range.startsWith('npm:') && range.indexOf('@', 5) > 0) return nameOfDescriptor(range.slice(4));
  return nameOfDescriptor(descriptor);
}

export function parseYarnClassic(text: string): LangPackage[] {
  const packages: LangPackage[] = [];
  let current: { name: string; registry: boolean } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      // `"a@^1", a@^1.2:` — every descriptor resolves to the same package.
      const descriptors = line.replace(/:\s*$/, '').split(',').map(unquote).filter(Boolean);
      const first = descriptors[0];
      current = first ? { name: registryNameV1(first), registry: descriptors.every((d) => isRegistryRangeV1(rangeOfDescriptor(d))) } : undefined;
      continue;
    }
    const field = /^ {2}"?version"?\s+"?([^"\s]+)"?\s*$/.exec(line);
    if (field?.[1] && current) {
      if (current.registry) packages.push({ name: current.name, version: field[1], purl: npmPurl(current.name, field[1]) });
      current = undefined;
    }
  }
  return uniqueByPurl(packages);
}

export function parseYarnBerry(text: string): LangPackage[] {
  const document: unknown = parseYaml(text);
  if (!isRecord(document)) throw new Error('yarn.lock is not a YAML mapping');
  const packages: LangPackage[] = [];
  for (const [key, entry] of Object.entries(document)) {
    if (key === '__metadata' || !isRecord(entry)) continue;
    const resolution = typeof entry.resolution === 'string' ? entry.resolution : key.split(',')[0]!.trim();
    const version = entry.version === undefined ? undefined : String(entry.version);
    // Registry packages resolve to `name@npm:x.y.z`; workspace:, patch:, link:, file:… do not.
    if (!version || !rangeOfDescriptor(resolution).startsWith('npm:')) continue;
    const name = nameOfDescriptor(resolution);
    packages.push({ name, version, purl: npmPurl(name, version) });
  }
  return uniqueByPurl(packages);
}

export function parseYarnLock(content: Buffer): LangPackage[] {
  const text = content.toString('utf8');
  return /^__metadata:/m.test(text) ? parseYarnBerry(text) : parseYarnClassic(text);
}
