/**
 * The vulnerability database file: `<data dir>/vulndb/osv.sqlite`.
 *
 * - `advisories`: one row per record and source, the record's JSON as imported;
 * - `affected`: (ecosystem, normalised package name) → advisory row, one row per
 *   distinct package a record names, with the record's digest for that package (ID, withdrawn,
 *   its ranges and versions: AffectedDigest in the analyzers), so a match parses only the
 *   records that can affect the installed version; indexed after bulk inserts. The digest
 *   column was added without a schema change: rows written before it hold NULL, and their
 *   records are parsed whole, as before;
 * - `sources`: what was imported from where, when, its ETag/Last-Modified, counts;
 * - `meta`: schema version and last update; the KEV catalog version and EPSS model and date;
 * - `cve_severity`, `cve_exploited`, `cve_epss`: per CVE and source, NVD's CVSS, CISA's
 *   known-exploited catalog and FIRST's EPSS scores (cve-data/). Added in place: a database
 *   without them reads as "no CVE data yet" and gets them at its next write.
 */
import { join } from 'node:path';

/**
 * 2: `affected` keys fold Red Hat product streams and SUSE service-pack products to a
 * release (`Red Hat:9`, `SUSE:15.5`); a version-1 file is rebuilt by the next update or import.
 */
export const SCHEMA_VERSION = 2;

export function vulnDbDir(dataDir: string): string {
  return join(dataDir, 'vulndb');
}

export function vulnDbPath(dataDir: string): string {
  return join(vulnDbDir(dataDir), 'osv.sqlite');
}

export const createTables = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  location TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  etag TEXT,
  last_modified TEXT,
  records INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  ecosystems TEXT NOT NULL,
  notes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS advisories (id TEXT NOT NULL, source TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS affected (advisory INTEGER NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, digest TEXT);
CREATE TABLE IF NOT EXISTS cve_severity (cve TEXT NOT NULL, source TEXT NOT NULL, modified TEXT NOT NULL, severity TEXT NOT NULL, score REAL, vector TEXT, PRIMARY KEY (cve, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cve_exploited (cve TEXT NOT NULL, source TEXT NOT NULL, date_added TEXT NOT NULL, due_date TEXT, ransomware INTEGER NOT NULL, name TEXT, PRIMARY KEY (cve, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cve_epss (cve TEXT NOT NULL, source TEXT NOT NULL, score REAL NOT NULL, percentile REAL NOT NULL, PRIMARY KEY (cve, source)) WITHOUT ROWID;
`;

/** The per-CVE tables: their rows are keyed by CVE and source, so a source is replaced with one DELETE. */
export const cveTables = ['cve_severity', 'cve_exploited', 'cve_epss'] as const;
export type CveTable = (typeof cveTables)[number];

/**
 * Built after inserting (faster than maintaining them row by row); dropped before bulk changes.
 * `affected_package` holds the advisory and digest columns too: a match reads a package's
 * digests from the index alone, a few neighbouring pages, where the table rows (in feed order)
 * lie on a page each. A re-match of 100 inventories against a full feed read its 31,000 rows
 * in ~150 instead of ~300 ms, for ~180 MB more file (pnpm bench vulndb). A file indexed
 * before gets this index at its next update, which rebuilds the indexes.
 */
export const createIndexes = `
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name, advisory, digest);
CREATE INDEX IF NOT EXISTS advisories_source ON advisories (source);
CREATE INDEX IF NOT EXISTS advisories_id ON advisories (id);
`;

export const dropIndexes = `
DROP INDEX IF EXISTS affected_package;
DROP INDEX IF EXISTS advisories_source;
DROP INDEX IF EXISTS advisories_id;
`;
