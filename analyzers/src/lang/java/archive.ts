/**
 * Maven artifacts in a Java archive and the archives nested inside it (WEB-INF/lib,
 * BOOT-INF/lib, META-INF/jars, lib/…), with limits on depth, per-entry size, compression
 * ratio and total bytes inflated, so a zip bomb costs a note and never the process's memory.
 *
 * An archive is described by every pom.properties it carries (shaded jars carry several);
 * when none of them is the archive itself, by its manifest, and failing that by its file name.
 */
import { baseName } from '../file-analyzer.ts';
import { fileNameCoordinates, manifestCoordinates, pomPropertiesCoordinates, type MavenCoordinates } from './descriptors.ts';
import { forEachZipEntry, type ZipEntryHandle, type ZipLimits } from './zip-reader.ts';

export interface JavaArchiveLimits extends ZipLimits {
  /** Nesting levels opened below the top archive. */
  maxDepth: number;
  /** Bytes inflated in total for one top-level archive. */
  maxTotalInflated: number;
}

export const DEFAULT_JAVA_LIMITS: JavaArchiveLimits = {
  maxEntrySize: 64 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxDepth: 3,
  maxTotalInflated: 512 * 1024 * 1024,
};

export interface JavaArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  /** Archive path inside the image, nested archives as `outer.war/WEB-INF/lib/inner.jar`. */
  path: string;
  source: 'pom.properties' | 'MANIFEST.MF' | 'file name';
}

const NESTED_ARCHIVE = /\.(jar|war|ear|hpi|jpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = 'META-INF/MANIFEST.MF';
const SMALL_FILE = 1024 * 1024;

interface Walk {
  limits: JavaArchiveLimits;
  inflated: number;
  note(message: string): void;
}

function describesArchive(coordinates: MavenCoordinates, archiveFileName: string): boolean {
  const stem = archiveFileName.replace(/\.[a-z]+$/i, '');
  return stem === coordinates.artifactId || stem.startsWith(`${coordinates.artifactId}-`);
}

async function readArchive(buffer: Buffer, path: string, depth: number, walk: Walk): Promise<JavaArtifact[]> {
  const poms: MavenCoordinates[] = [];
  let manifest: MavenCoordinates | undefined;
  const nested: JavaArtifact[] = [];

  const readCounted = async (entry: ZipEntryHandle, cap: number) => {
    if (entry.uncompressedSize > cap) return undefined;
    if (walk.inflated + entry.uncompressedSize > walk.limits.maxTotalInflated) {
      walk.note(`${path}!${entry.name}: skipped, the archive's ${walk.limits.maxTotalInflated}-byte inflate budget is spent`);
      return undefined;
    }
    const content = await entry.read();
    if (!Buffer.isBuffer(content)) {
      walk.note(`${path}!${entry.name}: skipped, ${content.refused}`);
      return undefined;
    }
    walk.inflated += content.length;
    return content;
  };

  await forEachZipEntry(buffer, walk.limits, async (entry) => {
    if (POM_PROPERTIES.test(entry.name)) {
      const content = await readCounted(entry, SMALL_FILE);
      const coordinates = content && pomPropertiesCoordinates(content.toString('utf8'));
      if (coordinates) poms.push(coordinates);
    } else if (entry.name === MANIFEST) {
      const content = await readCounted(entry, SMALL_FILE);
      manifest = content && manifestCoordinates(content.toString('utf8'));
    } else if (NESTED_ARCHIVE.test(entry.name)) {
      if (depth >= walk.limits.maxDepth) return walk.note(`${path}!${entry.name}: not opened, nested deeper than ${walk.limits.maxDepth}`);
      const content = await readCounted(entry, walk.limits.maxEntrySize);
      if (!content) return;
      const innerPath = `${path}/${entry.name}`;
      try {
        nested.push(...(await readArchive(content, innerPath, depth + 1, walk)));
      } catch (error) {
        walk.note(`${innerPath}: not a readable archive (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  });

  const fileName = baseName(path);
  const own: JavaArtifact[] = poms.map((c) => ({ ...c, path, source: 'pom.properties' as const }));
  if (!poms.some((c) => describesArchive(c, fileName))) {
    const fromName = fileNameCoordinates(fileName);
    if (manifest) own.push({ ...manifest, path, source: 'MANIFEST.MF' });
    else if (fromName) own.push({ groupId: '', ...fromName, path, source: 'file name' });
  }
  return [...own, ...nested];
}

/** Every artifact in the archive; throws only when the top-level archive itself is unreadable. */
export async function inventoryJavaArchive(
  buffer: Buffer,
  path: string,
  note: (message: string) => void,
  limits: JavaArchiveLimits = DEFAULT_JAVA_LIMITS,
): Promise<JavaArtifact[]> {
  const artifacts = await readArchive(buffer, path, 0, { limits, inflated: 0, note });
  const seen = new Set<string>();
  return artifacts.filter((a) => {
    const key = `${a.groupId}:${a.artifactId}@${a.version}@${a.path}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
