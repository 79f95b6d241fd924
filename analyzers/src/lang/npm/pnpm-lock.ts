/**
 * pnpm-lock.yaml, lockfile versions 5.x (`/name/1.0.0_peer`), 6.x (`/name@1.0.0(peer)`) and
 * 9.x (`name@1.0.0` under `packages`, dependency graph under `snapshots`).
 *
 * Dev-only packages are left out (v5/v6 mark them `dev: true`; for v9 the graph is walked
 * from the importers' production dependencies): a production install does not contain them,
 * and when they are installed the node_modules inventory reports them from the files.
 * Local folders (`file:dir`, `link:`) are the project's own code and are left out too.
 */
import { parseAllDocuments } from 'yaml';
import semver from 'semver';
import { isRecord } from '../file-analyzer.ts';
import { npmPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';

type Mapping = Record<string, unknown>;

const PROD_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies'] as const;

/** `1.0.0(peer@2)` or v5's `1.0.0_peer@2` → `1.0.0`. */
function stripPeerSuffix(version: string): string {
  return version.replace(/\(.*$/, '').replace(/_.*$/, '');
}

/** Name and version from a `packages` key of any lockfile version. */
function parsePackageKey(key: string, lockfileMajor: number): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '');
  if (lockfileMajor < 6) {
    const slash = bare.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return { name: bare.slice(0, slash), version: stripPeerSuffix(bare.slice(slash + 1)) };
  }
  const withoutPeers = bare.replace(/\(.*$/, '');
  const at = withoutPeers.indexOf('@', 1);
  if (at < 0) return undefined;
  return { name: withoutPeers.slice(0, at), version: withoutPeers.slice(at + 1) };
}

function mapping(value: unknown): Mapping {
  return isRecord(value) ? value : {};
}

/** Snapshot key a v9 dependency points at: `name@version(peers)`, or an alias `real@version`. */
function snapshotKey(name: string, reference: string): string {
  const withoutPeers = reference.replace(/\(.*$/, '');
  return withoutPeers.indexOf('@', 1) > 0 && !withoutPeers.includes(':') ? reference : `${name}@${reference}`;
}

/** v9: package keys (without peers) reachable from the importers' production dependencies. */
function productionPackagesV9(document: Mapping): Set<string> | undefined {
  const importers = mapping(document.importers);
  if (Object.keys(importers).length === 0) return undefined;
  const snapshots = mapping(document.snapshots);
  const seen = new Set<string>();
  const queue: string[] = [];
  const enqueueAll = (dependencies: unknown) => {
    for (const [name, reference] of Object.entries(mapping(dependencies))) {
      const ref = isRecord(reference) ? reference.version : reference;
      if (typeof ref === 'string') queue.push(snapshotKey(name, ref));
    }
  };
  for (const importer of Object.values(importers)) for (const field of PROD_DEPENDENCY_FIELDS) enqueueAll(mapping(importer)[field]);
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const snapshot = mapping(snapshots[key]);
    for (const field of PROD_DEPENDENCY_FIELDS) enqueueAll(snapshot[field]);
  }
  return new Set([...seen].map((key) => key.replace(/\(.*$/, '')));
}

/** pnpm 9 can prepend a document for its own tooling (`packageManagerDependencies`). */
function isProjectDocument(document: Mapping): boolean {
  const importers = Object.values(mapping(document.importers)).map(mapping);
  if (importers.length === 0) return true;
  return importers.some((importer) => ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => field in importer));
}

function packagesOfDocument(document: Mapping): LangPackage[] {
  const lockfileMajor = Number.parseInt(String(document.lockfileVersion ?? '5'), 10) || 5;
  const production = lockfileMajor >= 9 ? productionPackagesV9(document) : undefined;
  const packages: LangPackage[] = [];
  for (const [key, value] of Object.entries(mapping(document.packages))) {
    const entry = mapping(value);
    if (entry.dev === true || 'directory' in mapping(entry.resolution)) continue;
    if (production && !production.has(key.replace(/^\//, '').replace(/\(.*$/, ''))) continue;
    const fromKey = parsePackageKey(key, lockfileMajor);
    // Tarball and git entries carry their real name and version as fields.
    const name = typeof entry.name === 'string' ? entry.name : fromKey?.name;
    const version = entry.version !== undefined ? String(entry.version) : fromKey?.version;
    if (!name || !version || !semver.valid(version, { loose: true })) continue;
    packages.push({ name, version, purl: npmPurl(name, version) });
  }
  return packages;
}

export function parsePnpmLock(content: Buffer): LangPackage[] {
  const documents = parseAllDocuments(content.toString('utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  const packages: LangPackage[] = [];
  for (const document of list) {
    if (document.errors.length > 0) throw new Error(document.errors[0]!.message);
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (isRecord(value) && isProjectDocument(value)) packages.push(...packagesOfDocument(value));
  }
  return uniqueByPurl(packages);
}
