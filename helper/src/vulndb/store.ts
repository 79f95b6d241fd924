/**
 * Read side of the vulnerability database. Opens the file read-only; when an update has
 * swapped in a new file, `refresh()` reopens it (the old handle keeps reading the old
 * file until then, so a scan in progress never sees half an update).
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { AdvisoryLookup, OsvRecord } from '@shipshape/analyzers/match/index.ts';
import { SCHEMA_VERSION, vulnDbPath } from './schema.ts';

export interface VulnDbSourceStatus {
  source: string;
  kind: string;
  location: string;
  fetchedAt: string;
  etag: string | null;
  lastModified: string | null;
  records: number;
  skipped: number;
  ecosystems: Record<string, number>;
  notes: string[];
}

export interface VulnDbStatus {
  path: string;
  schemaVersion: number | null;
  updatedAt: string | null;
  sizeBytes: number;
  records: number;
  /** Records per base ecosystem, over all sources. */
  ecosystems: Record<string, number>;
  sources: VulnDbSourceStatus[];
}

export class VulnDbMissingError extends Error {
  override name = 'VulnDbMissingError';
}

const CACHE_LIMIT = 50_000;

export class VulnDb {
  private db: Database.Database;
  private inode: number;
  private idsByPackage!: Database.Statement;
  private jsonByRow!: Database.Statement;
  /** Parsed records by row: a record naming many packages is parsed once. */
  private cache = new Map<number, OsvRecord>();
  /** Row IDs by package: re-matching the same inventories (every scan has the same base image) skips SQLite. */
  private rowsByPackage = new Map<string, number[]>();

  constructor(readonly path: string) {
    if (!existsSync(path)) throw new VulnDbMissingError(`no vulnerability database at ${path}`);
    this.db = this.openFile();
    this.inode = statSync(path).ino;
  }

  private openFile(): Database.Database {
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    // The file is never written in place (updates write a new file and rename it over), so
    // a reader may keep its shared lock for good: no lock/unlock and header re-read per query.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('mmap_size = 268435456');
    // Row IDs come from the index alone; the JSON text is read only for records not parsed yet.
    this.idsByPackage = db.prepare('SELECT advisory FROM affected WHERE ecosystem = ? AND name = ?').pluck();
    this.jsonByRow = db.prepare('SELECT json FROM advisories WHERE rowid = ?').pluck();
    return db;
  }

  /** Reopen if an update replaced the file since it was opened. Returns true when it did. */
  refresh(): boolean {
    const ino = existsSync(this.path) ? statSync(this.path).ino : this.inode;
    if (ino === this.inode) return false;
    const previous = this.db;
    this.db = this.openFile();
    this.inode = ino;
    this.cache.clear();
    this.rowsByPackage.clear();
    previous.close();
    return true;
  }

  /** Records naming this ecosystem (canonical form, see canonicalEcosystem) and normalised package name. */
  lookup: AdvisoryLookup = (ecosystem, name) => {
    const key = `${ecosystem}\0${name}`;
    let rows = this.rowsByPackage.get(key);
    if (!rows) {
      rows = this.idsByPackage.all(ecosystem, name) as number[];
      if (this.rowsByPackage.size >= CACHE_LIMIT) this.rowsByPackage.clear();
      this.rowsByPackage.set(key, rows);
    }
    return rows.map((row) => {
      let record = this.cache.get(row);
      if (!record) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        record = JSON.parse(this.jsonByRow.get(row) as string) as OsvRecord;
        this.cache.set(row, record);
      }
      return record;
    });
  };

  status(): VulnDbStatus {
    const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const sources = (this.db.prepare('SELECT * FROM sources ORDER BY source').all() as Record<string, unknown>[]).map(
      (r): VulnDbSourceStatus => ({
        source: String(r.source),
        kind: String(r.kind),
        location: String(r.location),
        fetchedAt: String(r.fetched_at),
        etag: (r.etag as string | null) ?? null,
        lastModified: (r.last_modified as string | null) ?? null,
        records: Number(r.records),
        skipped: Number(r.skipped),
        ecosystems: JSON.parse(String(r.ecosystems)) as Record<string, number>,
        notes: JSON.parse(String(r.notes)) as string[],
      }),
    );
    const ecosystems: Record<string, number> = {};
    for (const s of sources) for (const [e, n] of Object.entries(s.ecosystems)) ecosystems[e] = (ecosystems[e] ?? 0) + n;
    const schemaVersion = meta.get('schema_version');
    return {
      path: this.path,
      schemaVersion: schemaVersion ? Number(schemaVersion) : null,
      updatedAt: meta.get('updated_at') ?? null,
      sizeBytes: statSync(this.path).size,
      records: sources.reduce((sum, s) => sum + s.records, 0),
      ecosystems,
      sources,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The data dir's database, or null when none has been imported yet. */
export function openVulnDb(dataDir: string): VulnDb | null {
  const path = vulnDbPath(dataDir);
  if (!existsSync(path)) return null;
  const db = new VulnDb(path);
  const version = db.status().schemaVersion;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`the vulnerability database at ${path} has schema ${version}, this Shipshape needs ${SCHEMA_VERSION}: run 'pnpm shipshape db update' or 'db import' to rebuild it`);
  }
  return db;
}

/** Status without keeping the database open; null when there is none. */
export function vulnDbStatus(dataDir: string): VulnDbStatus | null {
  const db = openVulnDb(dataDir);
  if (!db) return null;
  try {
    return db.status();
  } finally {
    db.close();
  }
}
