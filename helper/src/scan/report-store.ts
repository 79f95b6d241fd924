/**
 * Full scan reports, one JSON file per report under `<dataDir>/reports/` (never inside the
 * state file, which only keeps the index). Files are written atomically; a small in-memory
 * cache serves the detail routes, which read the same report many times in a row.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanReport } from '@shipshape/shared';
import { jsonIntoBuffer } from './json-into-buffer.ts';

/** Reports of big images are tens of MB as objects: keep only the few the detail routes reread. */
const MEMORY_CACHE = 3;

/**
 * Reports up to this size are encoded into one buffer kept between saves (jsonIntoBuffer), and
 * read through another: a data update's re-match reads and writes a hundred 1.5 MB reports in a
 * row, and a fresh string and buffer per report (a fresh mapping, faulted in page by page)
 * cost more than the matching (pnpm bench vulndb). Bigger reports take the plain path, so the
 * buffers stay small; their pages count in RSS only once used.
 */
const REUSED_BUFFER_MAX = 2 << 20;

export class ReportStore {
  private readonly recent = new Map<string, ScanReport>();
  /** The encode buffer of small reports; null while a save is writing it out (saves may overlap). */
  private encodeBuffer: Buffer | null = Buffer.allocUnsafe(REUSED_BUFFER_MAX);
  /** The read buffer of small reports; null while a load is reading into it. */
  private readBuffer: Buffer | null = Buffer.allocUnsafe(REUSED_BUFFER_MAX);

  constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<ReportStore> {
    const dir = join(dataDir, 'reports');
    await mkdir(dir, { recursive: true });
    return new ReportStore(dir);
  }

  private file(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a report id: ${id}`);
    return join(this.dir, `${id}.json`);
  }

  async save(report: ScanReport, id: string = randomUUID()): Promise<string> {
    const tmp = `${this.file(id)}.${process.pid}.tmp`;
    await this.write(tmp, report);
    await rename(tmp, this.file(id));
    this.remember(id, report);
    return id;
  }

  /** The stored report, or null when its file is missing or unreadable. */
  async load(id: string): Promise<ScanReport | null> {
    return (await this.loadFrom(id, false))?.report ?? null;
  }

  /**
   * load, with a copy of the file's bytes the report was parsed from (null when it came from
   * memory): a re-match has another thread write the report back from them (saveWritten).
   */
  async loadWithBytes(id: string): Promise<{ report: ScanReport; bytes: Uint8Array | null } | null> {
    return this.loadFrom(id, true);
  }

  private async loadFrom(id: string, withBytes: boolean): Promise<{ report: ScanReport; bytes: Uint8Array | null } | null> {
    const hit = this.recent.get(id);
    if (hit) {
      this.remember(id, hit);
      return { report: hit, bytes: null };
    }
    try {
      const read = await this.readText(this.file(id), withBytes);
      // Our own files, written atomically: a shape check is enough (a full zod parse of a
      // thousand-package report costs more than reading it).
      const parsed = JSON.parse(read.text) as ScanReport;
      if (typeof parsed?.image?.id !== 'string' || !Array.isArray(parsed.packages) || !Array.isArray(parsed.notes)) return null;
      this.remember(id, parsed);
      return { report: parsed, bytes: read.bytes };
    } catch {
      return null;
    }
  }

  /**
   * Records a report another thread wrote: `writeTo` writes the whole file at the path it is
   * given, which then replaces the report's file at once, as save does.
   */
  async saveWritten(report: ScanReport, id: string, writeTo: (path: string) => Promise<void>): Promise<string> {
    const tmp = `${this.file(id)}.${process.pid}.tmp`;
    await writeTo(tmp);
    await rename(tmp, this.file(id));
    this.remember(id, report);
    return id;
  }

  async remove(id: string): Promise<void> {
    this.recent.delete(id);
    await rm(this.file(id), { force: true });
  }

  /**
   * Removes files no image lists any more: reports dropped by a helper killed before it could
   * delete them, and temp files of writes cut short. Run at start, before any scan writes.
   */
  async sweep(listed: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : null;
      if (id !== null && listed.has(id)) continue;
      await rm(join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  private async readText(path: string, withBytes: boolean): Promise<{ text: string; bytes: Uint8Array | null }> {
    const buffer = this.readBuffer;
    if (!buffer) {
      // another load is using it
      const bytes = await readFile(path);
      return { text: bytes.toString('utf8'), bytes: withBytes ? bytes : null };
    }
    this.readBuffer = null;
    try {
      const file = await open(path, 'r');
      try {
        const { size } = await file.stat();
        if (size > buffer.length) {
          const bytes = await file.readFile();
          return { text: bytes.toString('utf8'), bytes: withBytes ? bytes : null };
        }
        let length = 0;
        while (length < size) {
          const { bytesRead } = await file.read(buffer, length, size - length, length);
          if (bytesRead === 0) break;
          length += bytesRead;
        }
        return { text: buffer.toString('utf8', 0, length), bytes: withBytes ? Uint8Array.prototype.slice.call(buffer, 0, length) : null };
      } finally {
        await file.close();
      }
    } finally {
      this.readBuffer = buffer;
    }
  }

  private async write(path: string, report: ScanReport): Promise<void> {
    const buffer = this.encodeBuffer;
    // Null: another save is using it. Its pages count in RSS only once written to.
    const bytes = buffer ? jsonIntoBuffer(report, buffer) : null;
    if (!buffer || bytes === null) return writeFile(path, JSON.stringify(report));
    this.encodeBuffer = null;
    try {
      await writeFile(path, buffer.subarray(0, bytes));
    } finally {
      this.encodeBuffer = buffer;
    }
  }

  private remember(id: string, report: ScanReport): void {
    this.recent.delete(id);
    this.recent.set(id, report);
    while (this.recent.size > MEMORY_CACHE) this.recent.delete(this.recent.keys().next().value!);
  }
}
