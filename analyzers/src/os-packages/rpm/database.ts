/**
 * Reads every installed package from an rpm database file, whichever of rpm's three formats
 * it is (detected by content, not name): SQLite, Berkeley DB hash or NDB. Never throws:
 * unreadable files and corrupt entries come back as `problems`.
 */
import { isBerkeleyDbHash, readBerkeleyDbBlobs } from './bdb.ts';
import { isNdb, readNdbBlobs } from './ndb.ts';
import { isSqlite, readSqliteBlobs } from './sqlite.ts';
import { installedRpmFromHeader, type InstalledRpm } from './installed-package.ts';

export type RpmDbFormat = 'sqlite' | 'bdb' | 'ndb';

export interface RpmDbContents {
  format: RpmDbFormat | null;
  packages: InstalledRpm[];
  problems: string[];
}

export function detectRpmDbFormat(buf: Buffer): RpmDbFormat | null {
  if (isSqlite(buf)) return 'sqlite';
  if (isNdb(buf)) return 'ndb';
  if (isBerkeleyDbHash(buf)) return 'bdb';
  return null;
}

const READERS: Record<RpmDbFormat, (buf: Buffer, problem: (m: string) => void) => Buffer[]> = {
  sqlite: readSqliteBlobs,
  bdb: readBerkeleyDbBlobs,
  ndb: readNdbBlobs,
};

export function readRpmDatabase(buf: Buffer): RpmDbContents {
  const problems: string[] = [];
  const format = detectRpmDbFormat(buf);
  if (!format) return { format, packages: [], problems: ['not an rpm database (neither SQLite, Berkeley DB hash nor NDB)'] };
  let blobs: Buffer[];
  try {
    blobs = READERS[format](buf, (m) => problems.push(m));
  } catch (err) {
    return { format, packages: [], problems: [`unreadable ${format} rpm database: ${(err as Error).message}`] };
  }
  const packages: InstalledRpm[] = [];
  blobs.forEach((blob, i) => {
    try {
      packages.push(installedRpmFromHeader(blob));
    } catch (err) {
      problems.push(`package header ${i + 1}: ${(err as Error).message}`);
    }
  });
  return { format, packages, problems };
}
