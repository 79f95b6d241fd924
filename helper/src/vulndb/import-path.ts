/**
 * `db import PATH`: a local OSV zip, JSON/JSONL file, Alpine secdb file, Debian DSA/DLA
 * list, NVD CVE JSON 2.0 feed, CISA KEV catalog, FIRST EPSS CSV (gzip or not), or a folder of
 * any of these (air-gapped machines). Each file is one source and one transaction; loose OSV
 * `.json` files in a folder are one source together. The per-CVE files are recognised by
 * their content, whatever they are called.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { cveDataKindOf, writeCveDataFile } from './cve-data/sources.ts';
import { convertAlpineSecdb, looksLikeAlpineSecdb } from './sources/alpine-secdb.ts';
import { looksLikeDebianList, readDebianList, type DebianListStats } from './sources/debian-tracker.ts';
import { readJsonFile, readJsonLines, readZip } from './sources/osv-files.ts';
import type { SourceItem } from './sources/parsed.ts';
import { VulnDbWriter, type SourceMeta, type SourceResult } from './writer.ts';

export interface ImportUnit {
  meta: SourceMeta;
  items: () => AsyncIterable<SourceItem>;
  notes: () => string[];
  /** Sources that are not advisories (per-CVE data) write themselves. */
  write?: (writer: VulnDbWriter) => Promise<SourceResult>;
}

export interface ImportResult {
  sources: SourceResult[];
  /** Advisory records imported (the per-CVE rows are counted in `cveRows`). */
  records: number;
  /** NVD severities, KEV entries and EPSS scores imported. */
  cveRows: number;
  skipped: number;
  /** Files in the path that are not advisory data, left alone. */
  ignored: string[];
  seconds: number;
}

async function firstLine(file: string): Promise<string> {
  const raw = createReadStream(file, { end: 64 * 1024 });
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line.trim() !== '') return line;
    return '';
  } catch {
    return '';
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** A JSONL file is OSV when its first record has an `id` and `modified`; otherwise it is another format. */
function looksLikeOsvLine(line: string): boolean {
  try {
    const v = JSON.parse(line) as Record<string, unknown>;
    return typeof v === 'object' && v !== null && 'id' in v && 'modified' in v;
  } catch {
    return true; // broken JSON in an OSV file is still reported, record by record
  }
}

/** What one file is, as an import unit; null when it is not advisory data. */
async function unitForFile(file: string, modified: string): Promise<ImportUnit | null> {
  const location = resolve(file);
  const name = basename(file);
  if (/\.(json|csv)(\.gz)?$/i.test(name) || /\.gz$/i.test(name)) {
    const kind = await cveDataKindOf(file);
    if (kind) {
      return { meta: { source: `file:${location}`, kind, location }, items: async function* () {}, notes: () => [], write: (writer) => writeCveDataFile(writer, kind, file, location) };
    }
  }
  if (name.endsWith('.zip')) {
    return { meta: { source: `file:${location}`, kind: 'osv-archive', location }, items: () => readZip(file), notes: () => [] };
  }
  if (/\.jsonl(\.gz)?$/.test(name)) {
    if (!looksLikeOsvLine(await firstLine(file))) return null;
    return { meta: { source: `file:${location}`, kind: 'osv-jsonl', location }, items: () => readJsonLines(file), notes: () => [] };
  }
  if (/\.(txt|list)(\.gz)?$/.test(name) || /^(DSA|DLA|DTSA)/.test(name) || name === 'list') {
    if (!looksLikeDebianList(await firstLine(file))) return null;
    const stats: DebianListStats = { unparsedLines: 0, notAffected: 0 };
    return {
      meta: { source: `file:${location}`, kind: 'debian-dsa-list', location },
      items: () => readDebianList(file, modified, stats),
      notes: () => [`${stats.notAffected} <not-affected> release lines`, ...(stats.unparsedLines ? [`${stats.unparsedLines} lines not understood`] : [])],
    };
  }
  if (name.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return { meta: { source: `file:${location}`, kind: 'osv-json', location }, items: () => readJsonFile(file), notes: () => [] };
    }
    if (looksLikeAlpineSecdb(value)) {
      let notAffected = 0;
      return {
        meta: { source: `file:${location}`, kind: 'alpine-secdb', location },
        items: async function* () {
          const converted = convertAlpineSecdb(value, file, modified);
          notAffected = converted.notAffected;
          yield* converted.items;
        },
        notes: () => [`${notAffected} secfixes marked not affected ("0")`],
      };
    }
    const v = value as Record<string, unknown>;
    if (Array.isArray(value) || (typeof v === 'object' && v !== null && 'id' in v)) {
      return { meta: { source: `file:${location}`, kind: 'osv-json', location }, items: () => readJsonFile(file), notes: () => [] };
    }
    return null; // a schema, a sidecar, some other JSON
  }
  return null;
}

async function collectUnits(path: string, modified: string, ignored: string[]): Promise<ImportUnit[]> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    const unit = await unitForFile(path, modified);
    if (!unit) throw new Error(`${path} is not an OSV zip, OSV JSON/JSONL, Alpine secdb JSON, Debian DSA/DLA list, NVD CVE feed, CISA KEV catalog or EPSS score file`);
    return [unit];
  }
  const units: ImportUnit[] = [];
  const looseJson: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      units.push(...(await collectUnits(full, modified, ignored)));
      continue;
    }
    const unit = await unitForFile(full, modified);
    if (!unit) ignored.push(full);
    else if (unit.meta.kind === 'osv-json' && !unit.write) looseJson.push(full);
    else units.push(unit);
  }
  if (looseJson.length > 0) {
    const location = resolve(path);
    units.push({
      meta: { source: `folder:${location}`, kind: 'osv-folder', location },
      items: async function* () {
        for (const file of looseJson) yield* readJsonFile(file);
      },
      notes: () => [],
    });
  }
  return units;
}

export interface ImportOptions {
  onProgress?: (event: { source: string; done: number; total: number }) => void;
}

export async function importPath(dataDir: string, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const ignored: string[] = [];
  const modified = new Date().toISOString();
  const units = await collectUnits(path, modified, ignored);
  if (units.length === 0) throw new Error(`${path} holds no advisory data (ignored: ${ignored.length} files)`);
  const writer = VulnDbWriter.begin(dataDir);
  const sources: SourceResult[] = [];
  try {
    for (const [i, unit] of units.entries()) {
      sources.push(unit.write ? await unit.write(writer) : await writer.replaceSource(unit.meta, unit.items(), unit.notes));
      options.onProgress?.({ source: unit.meta.location, done: i + 1, total: units.length });
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
  return {
    sources,
    records: sources.reduce((n, s, i) => n + (units[i]?.write ? 0 : s.records), 0),
    cveRows: sources.reduce((n, s, i) => n + (units[i]?.write ? s.records : 0), 0),
    skipped: sources.reduce((n, s) => n + s.skipped, 0),
    ignored,
    seconds: (performance.now() - started) / 1000,
  };
}
