/**
 * Writes a new database next to the current one and swaps it in with rename(2), so
 * readers keep the previous file until the new one is complete. Each source (an OSV
 * archive = one ecosystem, a JSONL file, a secdb file, a DSA list) is replaced in one
 * transaction: if reading it fails half-way (corrupt zip, I/O error) that transaction
 * rolls back and the source keeps its previous records.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { affectedDigest, baseEcosystem, canonicalEcosystem, normalizePackageName, type OsvAffected } from '@shipshape/analyzers/match/index.ts';
import { acquireWriteLock } from './lock.ts';
import { isProblem, type CveDataKind, type CveItem } from './cve-data/rows.ts';
import { SCHEMA_VERSION, createIndexes, createTables, dropIndexes, vulnDbDir, vulnDbPath, type CveTable } from './schema.ts';
import type { SourceItem } from './sources/parsed.ts';

export interface SourceMeta {
  /** Stable key: re-importing the same source replaces its records. */
  source: string;
  kind: 'osv-archive' | 'osv-jsonl' | 'osv-json' | 'osv-folder' | 'alpine-secdb' | 'debian-dsa-list' | CveDataKind;
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

/**
 * The entries a key's digest holds (see AffectedDigest): a query looks up its own key and,
 * for a release (`Debian:12`), the release-less key of its distro (`Debian`), and whichever row
 * it meets a record through first, the record is judged on every entry that applies to it. So
 * a release's row holds its own entries and the release-less ones; a release-less row holds
 * those of every release. Entries of another base ecosystem or name never apply.
 */
function digestEntries(keyed: Array<{ entry: OsvAffected; ecosystem: string; name: string }>, ecosystem: string, name: string): OsvAffected[] {
  const base = baseEcosystem(ecosystem);
  return keyed
    .filter((k) => k.name === name && (ecosystem === base ? baseEcosystem(k.ecosystem) === base : k.ecosystem === ecosystem || k.ecosystem === base))
    .map((k) => k.entry);
}

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
    // 8 MB of pages: the helper imports inside its memory budget (the feed's DB is ~0.7 GB, mostly
    // written once in order, so a bigger cache buys little; measured by pnpm bench vulndb).
    this.db.pragma('cache_size = -8192');
    this.db.exec(createTables);
    // A copy written before `affected` had digests: the column is added, its old rows stay NULL.
    if (!(this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('affected') as string[]).includes('digest')) this.db.exec('ALTER TABLE affected ADD COLUMN digest TEXT');
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
    const insertAffected = this.db.prepare('INSERT INTO affected (advisory, ecosystem, name, digest) VALUES (?, ?, ?, ?)');
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
        // One row per distinct package key, with the digest of the record's entries that can
        // apply to a query looking that key up (digestEntries).
        const keys = new Map<string, { ecosystem: string; name: string }>();
        const bases = new Set<string>();
        const keyed: Array<{ entry: OsvAffected; ecosystem: string; name: string }> = [];
        for (const entry of record.affected ?? []) {
          const pkg = entry.package;
          if (!pkg) continue;
          const ecosystem = canonicalEcosystem(pkg.ecosystem);
          const name = normalizePackageName(ecosystem, pkg.name);
          keys.set(`${ecosystem}\0${name}`, { ecosystem, name });
          keyed.push({ entry, ecosystem, name });
          bases.add(baseEcosystem(pkg.ecosystem));
        }
        for (const { ecosystem, name } of keys.values()) insertAffected.run(rowid, ecosystem, name, JSON.stringify(affectedDigest(record, digestEntries(keyed, ecosystem, name))));
        for (const base of bases) result.ecosystems[base] = (result.ecosystems[base] ?? 0) + 1;
        result.records++;
      }
      this.recordSource(meta, result, [...extraNotes(), ...result.problems]);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return result;
  }

  /**
   * Rows of one per-CVE source (an NVD year feed, the KEV catalog, an EPSS file), in one
   * transaction: a failure keeps the source's previous rows. `merge` keeps the source's rows
   * and lets newer ones replace older ones (NVD's `modified` feed accumulates); otherwise the
   * source's rows are replaced. `meta` entries (catalog version, score date) are stored with them.
   */
  async replaceCveRows<T extends CveTable>(
    meta: SourceMeta,
    table: T,
    items: AsyncIterable<CveItem<T>>,
    options: { merge?: boolean; meta?: () => Record<string, string>; notes?: () => string[] } = {},
  ): Promise<SourceResult> {
    const insert = this.db.prepare(insertCveRow[table]);
    const result: SourceResult = { source: meta.source, records: 0, skipped: 0, ecosystems: {}, problems: [] };
    this.db.exec('BEGIN');
    try {
      if (!options.merge) this.db.prepare(`DELETE FROM ${table} WHERE source = ?`).run(meta.source);
      for await (const item of items) {
        if (isProblem(item)) {
          result.skipped++;
          if (result.problems.length < MAX_PROBLEMS) result.problems.push(`${item.where}: ${item.problem}`);
          continue;
        }
        insert.run({ ...cveRowParams(item), source: meta.source });
        result.records++;
      }
      if (options.merge) result.records = (this.db.prepare(`SELECT count(*) FROM ${table} WHERE source = ?`).pluck().get(meta.source) as number) ?? result.records;
      const setMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      for (const [key, value] of Object.entries(options.meta?.() ?? {})) setMeta.run(key, value);
      this.recordSource(meta, result, [...(options.notes?.() ?? []), ...result.problems]);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return result;
  }

  private recordSource(meta: SourceMeta, result: SourceResult, notes: string[]): void {
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

/** NVD rows merge by lastModified (a year feed re-read after the `modified` feed must not undo it); the others replace. */
const insertCveRow: Record<CveTable, string> = {
  cve_severity: `INSERT INTO cve_severity (cve, source, modified, severity, score, vector) VALUES (@cve, @source, @modified, @severity, @score, @vector)
    ON CONFLICT (cve, source) DO UPDATE SET modified = excluded.modified, severity = excluded.severity, score = excluded.score, vector = excluded.vector
    WHERE excluded.modified >= cve_severity.modified`,
  cve_exploited: `INSERT OR REPLACE INTO cve_exploited (cve, source, date_added, due_date, ransomware, name) VALUES (@cve, @source, @dateAdded, @dueDate, @ransomware, @name)`,
  cve_epss: `INSERT OR REPLACE INTO cve_epss (cve, source, score, percentile) VALUES (@cve, @source, @score, @percentile)`,
};

/** better-sqlite3 binds numbers, strings and null: booleans become 0/1. */
function cveRowParams(row: object): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) params[key] = typeof value === 'boolean' ? Number(value) : value;
  return params;
}
