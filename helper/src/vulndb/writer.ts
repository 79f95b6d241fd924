/**
 * Writes a new database next to the current one and swaps it in with rename(2), so
 * readers keep the previous file until the new one is complete. Each source (an OSV
 * archive = one ecosystem, a JSONL file, a secdb file, a DSA list) is replaced in one
 * transaction: if reading it fails half-way (corrupt zip, I/O error) that transaction
 * rolls back and the source keeps its previous records.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { baseEcosystem, canonicalEcosystem, normalizePackageName } from '@shipshape/analyzers/match/index.ts';
import { acquireWriteLock } from './lock.ts';
import { SCHEMA_VERSION, createIndexes, createTables, dropIndexes, vulnDbDir, vulnDbPath } from './schema.ts';
import type { SourceItem } from './sources/parsed.ts';

export interface SourceMeta {
  /** Stable key: re-importing the same source replaces its records. */
  source: string;
  kind: 'osv-archive' | 'osv-jsonl' | 'osv-json' | 'osv-folder' | 'alpine-secdb' | 'debian-dsa-list';
  location: string;
  etag?: string | null;
  lastModified?: string | null;
}

export interface SourceResult {
  source: string;
  records: number;
  skipped: number;
  /** Records per base ecosystem (a record naming packages in two ecosystems counts in both). */
  ecosystems: Record<string, number>;
  /** The first few reasons records were skipped, for the user. */
  problems: string[];
}

const MAX_PROBLEMS = 20;

/** Open the copy; a copy written by another schema version is discarded (a full re-import follows). */
function openFresh(path: string): Database.Database {
  const db = new Database(path);
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  const version = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined) : undefined;
  if (version && version.value !== String(SCHEMA_VERSION)) {
    db.close();
    rmSync(path, { force: true });
    return new Database(path);
  }
  return db;
}

export class VulnDbWriter {
  private readonly db: Database.Database;
  private finished = false;

  private constructor(
    private readonly finalPath: string,
    private readonly tempPath: string,
    private readonly release: () => void,
  ) {
    this.db = openFresh(tempPath);
    this.db.pragma('journal_mode = OFF'); // a temp file: a crash discards it whole
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    // 32 MB of pages: the helper imports inside its memory budget (the feed's DB is ~1 GB, mostly
    // written once in order, so a bigger cache buys little; measured by pnpm bench vulndb).
    this.db.pragma('cache_size = -32768');
    this.db.exec(createTables);
    this.db.exec(dropIndexes);
  }

  /**
   * Start from a copy of the current database (or an empty one). Takes the data dir's
   * write lock, unless the caller already holds it and passes its release function.
   */
  static begin(dataDir: string, heldLock?: () => void): VulnDbWriter {
    const dir = vulnDbDir(dataDir);
    mkdirSync(dir, { recursive: true });
    const release = heldLock ?? acquireWriteLock(dir);
    try {
      const finalPath = vulnDbPath(dataDir);
      const tempPath = `${finalPath}.new-${process.pid}`;
      rmSync(tempPath, { force: true });
      if (existsSync(finalPath)) copyFileSync(finalPath, tempPath);
      return new VulnDbWriter(finalPath, tempPath, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  async replaceSource(meta: SourceMeta, items: AsyncIterable<SourceItem>, extraNotes: () => string[] = () => []): Promise<SourceResult> {
    const insertAdvisory = this.db.prepare('INSERT INTO advisories (id, source, json) VALUES (?, ?, ?)');
    const insertAffected = this.db.prepare('INSERT INTO affected (advisory, ecosystem, name) VALUES (?, ?, ?)');
    const result: SourceResult = { source: meta.source, records: 0, skipped: 0, ecosystems: {}, problems: [] };
    this.db.exec('BEGIN');
    try {
      this.db.prepare('DELETE FROM affected WHERE advisory IN (SELECT rowid FROM advisories WHERE source = ?)').run(meta.source);
      this.db.prepare('DELETE FROM advisories WHERE source = ?').run(meta.source);
      for await (const item of items) {
        if ('problem' in item) {
          result.skipped++;
          if (result.problems.length < MAX_PROBLEMS) result.problems.push(`${item.where}: ${item.problem}`);
          continue;
        }
        const { record, json } = item;
        const rowid = insertAdvisory.run(record.id, meta.source, json).lastInsertRowid;
        const seen = new Set<string>();
        const bases = new Set<string>();
        for (const entry of record.affected ?? []) {
          const pkg = entry.package;
          if (!pkg) continue;
          const ecosystem = canonicalEcosystem(pkg.ecosystem);
          const name = normalizePackageName(ecosystem, pkg.name);
          const key = `${ecosystem}\0${name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          insertAffected.run(rowid, ecosystem, name);
          bases.add(baseEcosystem(pkg.ecosystem));
        }
        for (const base of bases) result.ecosystems[base] = (result.ecosystems[base] ?? 0) + 1;
        result.records++;
      }
      const notes = [...extraNotes(), ...result.problems];
      this.db
        .prepare(
          `INSERT INTO sources (source, kind, location, fetched_at, etag, last_modified, records, skipped, ecosystems, notes)
           VALUES (@source, @kind, @location, @fetchedAt, @etag, @lastModified, @records, @skipped, @ecosystems, @notes)
           ON CONFLICT (source) DO UPDATE SET kind = excluded.kind, location = excluded.location, fetched_at = excluded.fetched_at,
             etag = excluded.etag, last_modified = excluded.last_modified, records = excluded.records, skipped = excluded.skipped,
             ecosystems = excluded.ecosystems, notes = excluded.notes`,
        )
        .run({
          source: meta.source,
          kind: meta.kind,
          location: meta.location,
          fetchedAt: new Date().toISOString(),
          etag: meta.etag ?? null,
          lastModified: meta.lastModified ?? null,
          records: result.records,
          skipped: result.skipped,
          ecosystems: JSON.stringify(result.ecosystems),
          notes: JSON.stringify(notes),
        });
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return result;
  }

  /** Index, stamp, and atomically replace the served database. */
  commit(): void {
    if (this.finished) throw new Error('vulnerability database writer already finished');
    try {
      this.db.exec(createIndexes);
      const setMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      setMeta.run('schema_version', String(SCHEMA_VERSION));
      setMeta.run('updated_at', new Date().toISOString());
      this.db.exec('ANALYZE');
      this.db.close();
      renameSync(this.tempPath, this.finalPath);
    } catch (error) {
      this.abort();
      throw error;
    }
    this.finished = true;
    this.release();
  }

  /** Discard the new file; the served database is untouched. */
  abort(): void {
    if (this.db.open) this.db.close();
    rmSync(this.tempPath, { force: true });
    if (!this.finished) {
      this.finished = true;
      this.release();
    }
  }
}
