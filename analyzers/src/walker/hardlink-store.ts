/**
 * The contents a tar walk keeps so that a later hard link to an already-read file can be
 * analysed (a tar holds the content only at the first name). Kept in an unlinked temporary
 * file, not in memory: the store fills to its budget on almost every layer (the malware
 * analyzer reads every file), and two workers holding 32 MB each was a fifth of a scan's peak
 * RSS, while a hard link to a kept file is rare. The file's pages are the kernel's page cache,
 * which it can write out and reclaim. When no temporary file can be made, memory is used.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a kept entry costs beyond its bytes (Map slot, path): a million one-byte files must not fit. */
const ENTRY_OVERHEAD = 256;

export class HardLinkStore {
  private readonly limit: number;
  private spent = 0;
  private fd: number | null = null;
  private fileBroken = false;
  private fileEnd = 0;
  private readonly inFile = new Map<string, { at: number; length: number }>();
  private readonly inMemory = new Map<string, Buffer>();

  /** `limit`: bytes of content (plus a per-entry overhead) kept per layer; 0 keeps nothing. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Keeps `content` as the content of `path` if the budget allows; the caller may reuse `content` afterwards. */
  keep(path: string, content: Buffer): void {
    const cost = content.length + ENTRY_OVERHEAD + path.length * 2;
    if (this.spent + cost > this.limit) return;
    this.spent += cost;
    const fd = this.file();
    if (fd !== null) {
      try {
        for (let done = 0; done < content.length; ) done += writeSync(fd, content, done, content.length - done, this.fileEnd + done);
        this.inFile.set(path, { at: this.fileEnd, length: content.length });
        this.fileEnd += content.length;
        return;
      } catch {
        this.fileBroken = true; // a full disk: the rest is kept in memory
      }
    }
    // Always a copy: a small file's content is often a view into a 16-64 KiB chunk of the stream
    // (kept as is, 200,000 one-byte files pinned ~200 MB), and a source may read its next file
    // into the same buffer (LayerEntry.read).
    this.inMemory.set(path, Buffer.from(content));
  }

  /** The content kept for `path`, or undefined. */
  get(path: string): Buffer | undefined {
    const memory = this.inMemory.get(path);
    if (memory) return memory;
    const place = this.inFile.get(path);
    if (!place || this.fd === null) return undefined;
    const content = Buffer.allocUnsafe(place.length);
    let done = 0;
    while (done < place.length) {
      const n = readSync(this.fd, content, done, place.length - done, place.at + done);
      if (n === 0) break;
      done += n;
    }
    return done === place.length ? content : undefined;
  }

  /** Lets go of the file and what is kept. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.inFile.clear();
    this.inMemory.clear();
  }

  private file(): number | null {
    if (this.fd !== null || this.fileBroken) return this.fd;
    try {
      // Unlinked at once: nothing is left behind, whatever ends the process.
      const dir = mkdtempSync(join(tmpdir(), 'shipshape-hardlinks-'));
      const path = join(dir, 'contents');
      try {
        this.fd = openSync(path, 'w+', 0o600);
        unlinkSync(path);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      this.fileBroken = true;
    }
    return this.fd;
  }
}
