/**
 * Read side of the vulnerability database. Opens the file read-only; when an update has
 * swapped in a new file, `refresh()` reopens it (the old handle keeps reading the old
 * file until then, so a scan in progress never sees half an update).
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { digestMayAffect, type AffectedDigest } from '@shipshape/analyzers/match/index.ts';
import type { AdvisoryLookup, CveFacts, OsvRecord, PackageQuery } from '@shipshape/analyzers/match/index.ts';
import type { CveDataStatus } from '@shipshape/shared';
import { EPSS_SOURCE, KEV_SOURCE, metaKeys } from './cve-data/keys.ts';
import { SCHEMA_VERSION, vulnDbPath } from './schema.ts';
import { cveDataKinds } from './cve-data/rows.ts';
import { ecosystemKey } from './coverage.ts';

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
  /** Advisory records (the per-CVE sources are counted in `cveData`). */
  records: number;
  cveData: CveDataStatus;
  /** Records per base ecosystem, over all sources. */
  ecosystems: Record<string, number>;
  sources: VulnDbSourceStatus[];
}

export class VulnDbMissingError extends Error {
  override name = 'VulnDbMissingError';
}

const CACHE_LIMIT = 50_000;

/** A record's row and its digest for one package key (null: a row written before digests). */
type DigestRow = [row: number, digest: AffectedDigest | null];

/**
 * The digest rows of the package keys one matcher looks up again at another version, read and
 * parsed once: the images of a host share package names more than versions (a data update's
 * re-match of 100 images looks an npm name up at dozens of versions). A key met once is not
 * kept, so a distro's packages, each met at one version, cost no memory. Rows belong to the
 * file they were read from: the memo forgets them when the database is reopened on a new file.
 */
export class DigestMemo {
  private readonly seen = new Set<string>();
  private readonly kept = new Map<string, DigestRow[]>();
  private generation = -1;

  /** @internal VulnDb.lookupFor's: the rows of `key` in the file of this generation. */
  rows(generation: number, key: string, read: () => DigestRow[]): DigestRow[] {
    if (generation !== this.generation) {
      this.seen.clear();
      this.kept.clear();
      this.generation = generation;
    }
    const kept = this.kept.get(key);
    if (kept) return kept;
    const rows = read();
    if (this.seen.has(key)) this.kept.set(key, rows);
    else this.seen.add(key);
    return rows;
  }
}

export class VulnDb {
  private db: Database.Database;
  private inode: number;
  private idsByPackage!: Database.Statement;
  /** Row IDs with their digests (null in a file written before digests, or rows imported then). */
  private digestsByPackage!: Database.Statement | null;
  private jsonByRow!: Database.Statement;
  /** Parsed records by row: a record naming many packages is parsed once. */
  private cache = new Map<number, OsvRecord>();
  /** Row IDs by package: re-matching the same inventories (every scan has the same base image) skips SQLite. */
  private rowsByPackage = new Map<string, number[]>();
  private cve!: CveStatements | null;
  private byId!: Database.Statement | null;
  private cachedCveStatus: CveDataStatus | null = null;
  /** Counts the files this handle has opened (refresh): what a DigestMemo's rows belong to. */
  private generation = 0;

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
    // No mmap: the pages a re-match touches (hundreds of MB of a full feed's file) would count in
    // the helper's RSS for as long as the file stays open; read() through SQLite's own page
    // cache (a few MB) costs a re-match nothing measurable (pnpm bench vulndb).
    db.pragma('mmap_size = 0');
    // Row IDs come from the index alone; the JSON text is read only for records not parsed yet.
    this.idsByPackage = db.prepare('SELECT advisory FROM affected WHERE ecosystem = ? AND name = ?').pluck();
    this.jsonByRow = db.prepare('SELECT json FROM advisories WHERE rowid = ?').pluck();
    const affectedColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('affected') as string[];
    this.digestsByPackage = affectedColumns.includes('digest') ? db.prepare('SELECT advisory, digest FROM affected WHERE ecosystem = ? AND name = ?').raw() : null;
    // A database written before the per-CVE tables (or the ID index) existed has no CVE data yet.
    const has = (type: string, name: string) => Boolean(db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(type, name));
    this.cve = has('table', 'cve_severity')
      ? {
          severity: db.prepare('SELECT severity, score, vector FROM cve_severity WHERE cve = ? ORDER BY modified DESC LIMIT 1'),
          exploited: db.prepare('SELECT date_added AS dateAdded, due_date AS dueDate, ransomware, name FROM cve_exploited WHERE cve = ? ORDER BY date_added LIMIT 1'),
          epss: db.prepare('SELECT score, percentile FROM cve_epss WHERE cve = ? LIMIT 1'),
          meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
        }
      : null;
    this.byId = has('index', 'advisories_id') ? db.prepare('SELECT json FROM advisories WHERE id = ?').pluck() : null;
    this.cachedCveStatus = null;
    return db;
  }

  /** NVD severity, KEV entry and EPSS score of each CVE that has any. */
  cveFacts(cves: Iterable<string>): Map<string, CveFacts> {
    const facts = new Map<string, CveFacts>();
    if (!this.cve) return facts;
    const scoreDate = (this.cve.meta.get(metaKeys.epssScoreDate) as string | undefined) || null;
    for (const cve of cves) {
      if (facts.has(cve)) continue;
      const severity = this.cve.severity.get(cve) as { severity: NonNullable<CveFacts['nvd']>['severity']; score: number | null; vector: string | null } | undefined;
      const exploited = this.cve.exploited.get(cve) as { dateAdded: string; dueDate: string | null; ransomware: number; name: string | null } | undefined;
      const epss = this.cve.epss.get(cve) as { score: number; percentile: number } | undefined;
      if (!severity && !exploited && !epss) continue;
      facts.set(cve, {
        ...(severity ? { nvd: severity } : {}),
        ...(exploited ? { exploited: { ...exploited, ransomware: exploited.ransomware === 1 } } : {}),
        ...(epss ? { epss: { ...epss, date: scoreDate } } : {}),
      });
    }
    return facts;
  }

  /** Records stored under this advisory ID (any source); empty when the database has no ID index. */
  advisoriesById(id: string): OsvRecord[] {
    if (!this.byId) return [];
    return (this.byId.all(id) as string[]).map((json) => JSON.parse(json) as OsvRecord);
  }

  /** How much per-CVE data there is; computed once per opened file (the file never changes in place). */
  cveDataStatus(): CveDataStatus {
    if (this.cachedCveStatus) return this.cachedCveStatus;
    const count = (sql: string, ...args: unknown[]) => (this.cve ? (this.db.prepare(sql).pluck().get(...args) as number) : 0);
    const fetched = (where: string) => (this.db.prepare(`SELECT max(fetched_at) FROM sources WHERE ${where}`).pluck().get() as string | null) ?? null;
    const meta = (key: string) => ((this.cve?.meta.get(key) as string | undefined) || null);
    this.cachedCveStatus = {
      nvd: { cves: count('SELECT count(DISTINCT cve) FROM cve_severity'), updatedAt: fetched("kind = 'nvd-cve-feed'") },
      kev: { entries: count('SELECT count(*) FROM cve_exploited WHERE source = ?', KEV_SOURCE), catalogVersion: meta(metaKeys.kevCatalogVersion), updatedAt: fetched("kind = 'cisa-kev'") },
      epss: { scores: count('SELECT count(*) FROM cve_epss WHERE source = ?', EPSS_SOURCE), scoreDate: meta(metaKeys.epssScoreDate), updatedAt: fetched("kind = 'first-epss'") },
    };
    return this.cachedCveStatus;
  }

  /** Whether any NVD severity is stored (a finding left unrated says why). */
  hasNvdData(): boolean {
    return this.cveDataStatus().nvd.cves > 0;
  }

  /** Reopen if an update replaced the file since it was opened. Returns true when it did. */
  refresh(): boolean {
    const ino = existsSync(this.path) ? statSync(this.path).ino : this.inode;
    if (ino === this.inode) return false;
    const previous = this.db;
    this.db = this.openFile();
    this.inode = ino;
    this.generation++;
    this.cache.clear();
    this.rowsByPackage.clear();
    previous.close();
    return true;
  }

  /** Records naming this ecosystem (canonical form, see canonicalEcosystem) and normalised package name. */
  lookup: AdvisoryLookup = (ecosystem, name) => this.records(ecosystem, name, true);

  /**
   * lookup that keeps no record it parses (it uses those already kept): for a caller that keeps
   * what it needs itself, as a data update's re-match keeps only the records that affect a
   * package, so a full feed's records for a distro image (tens of MB parsed) are not held on to.
   */
  lookupUncached: AdvisoryLookup = (ecosystem, name) => this.records(ecosystem, name, false);

  /**
   * lookup for one query: a record whose digest shows that it cannot affect the query's version
   * is not parsed, and comes back as its ID alone with no affected entries (so it still claims
   * its ID where hitsFor drops records met twice). Same hits as lookup, for a fraction of the
   * parsing: a distro package names dozens of records, nearly all fixed long ago. `keep` as in
   * lookup and lookupUncached; `memo` keeps the digests of keys looked up again.
   */
  lookupFor(query: PackageQuery, keep: boolean, memo?: DigestMemo): AdvisoryLookup {
    const statement = this.digestsByPackage;
    if (!statement) return keep ? this.lookup : this.lookupUncached;
    const generation = this.generation;
    const read = (ecosystem: string, name: string): DigestRow[] =>
      (statement.all(ecosystem, name) as [number, string | null][]).map(([row, json]) => [row, json === null ? null : (JSON.parse(json) as AffectedDigest)]);
    return (ecosystem, name) =>
      (memo ? memo.rows(generation, `${ecosystem}\0${name}`, () => read(ecosystem, name)) : read(ecosystem, name)).map(([row, digest]) => {
        const kept = this.cache.get(row);
        if (kept) return kept;
        if (digest !== null && !digestMayAffect(digest, query)) return { id: digest.id, affected: [] };
        return this.parse(row, keep);
      });
  }

  private parse(row: number, keep: boolean): OsvRecord {
    const record = JSON.parse(this.jsonByRow.get(row) as string) as OsvRecord;
    if (keep) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(row, record);
    }
    return record;
  }

  private records(ecosystem: string, name: string, keep: boolean): OsvRecord[] {
    const key = `${ecosystem}\0${name}`;
    let rows = this.rowsByPackage.get(key);
    if (!rows) {
      rows = this.idsByPackage.all(ecosystem, name) as number[];
      if (this.rowsByPackage.size >= CACHE_LIMIT) this.rowsByPackage.clear();
      this.rowsByPackage.set(key, rows);
    }
    return rows.map((row) => this.cache.get(row) ?? this.parse(row, keep));
  }

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
      records: sources.filter((s) => !(cveDataKinds as readonly string[]).includes(s.kind)).reduce((sum, s) => sum + s.records, 0),
      cveData: this.cveDataStatus(),
      ecosystems,
      sources,
    };
  }

  /** Base ecosystems (`Debian`, `npm`, …) of which the database holds at least one advisory record. */
  coveredEcosystems(): Set<string> {
    const rows = this.db.prepare('SELECT ecosystems FROM sources').pluck().all() as string[];
    const covered = new Set<string>();
    for (const row of rows) for (const [ecosystem, count] of Object.entries(JSON.parse(row) as Record<string, number>)) if (count > 0) covered.add(ecosystemKey(ecosystem));
    return covered;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface CveStatements {
  severity: Database.Statement;
  exploited: Database.Statement;
  epss: Database.Statement;
  meta: Database.Statement;
}

/** The data dir's database, or null when none has been imported yet. */
export function openVulnDb(dataDir: string): VulnDb | null {
  const path = vulnDbPath(dataDir);
  if (!existsSync(path)) return null;
  const db = new VulnDb(path);
  const version = db.status().schemaVersion;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`the vulnerability database at ${path} has schema ${version}, this Shipshape needs ${SCHEMA_VERSION}: run 'shipshape db update' or 'db import' to rebuild it`);
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
