/**
 * The entries of a zip archive on disk, read for speed at OSV's size (npm's all.zip holds
 * well over 100,000 small `.json` entries). yauzl, used before, spends ~0.15 ms of CPU per
 * entry walking the central directory with small asynchronous reads and ~0.7 ms per entry
 * on a zlib stream of its own, which made a full import take minutes of CPU. Here the central
 * directory (ZIP64 included, APPNOTE 4.3.12-4.3.16, 4.5.3) is read in one piece, and each
 * entry with one positional read and one synchronous inflate, checked against its CRC-32.
 * Only what OSV archives use is supported: stored or deflated entries, no encryption, one disk.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import zlib from 'node:zlib';

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** zlib.crc32 exists from Node 20.15; without it, inflate errors and sizes still catch damage. */
const crc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;

function read(fd: number, length: number, position: number, into?: Buffer): Buffer {
  const buffer = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new ZipFormatError(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
  return buffer;
}

/** The central directory's offset, size and entry count (ZIP64 when the classic fields overflow). */
function findCentralDirectory(fd: number, size: number): { offset: number; size: number; entries: number } {
  const tailLength = Math.min(size, 22 + MAX_COMMENT + 20);
  const tail = read(fd, tailLength, size - tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('no end of central directory record (not a zip archive, or cut short)');
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const recordOffset = Number(tail.readBigUInt64LE(at - 20 + 8));
    const record = read(fd, 56, recordOffset);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('bad ZIP64 end of central directory record');
    entries = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new ZipFormatError('the central directory lies past the end of the file (cut short?)');
  return { offset: cdOffset, size: cdSize, entries };
}

function parseCentralDirectory(cd: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError(`bad central directory entry #${i + 1}`);
    const flags = cd.readUInt16LE(p + 8);
    if (flags & 0x1) throw new ZipFormatError('encrypted entries are not supported');
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64 extended information: the overflowing fields, in this order (APPNOTE 4.5.3).
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const length = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(cd.readBigUInt64LE(f))), (f += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(f))), (f += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(f));
      }
      e += 4 + length;
    }
    entries.push({ name, method: cd.readUInt16LE(p + 10), crc32: cd.readUInt32LE(p + 16), compressedSize, uncompressedSize, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

export class ZipFile {
  /**
   * Where entries are read before inflating, reused (an import reads hundreds of thousands:
   * one allocation each left the worker's malloc arena fragmented, tens of MB of RSS).
   */
  private scratch = Buffer.allocUnsafe(64 * 1024);

  private constructor(
    private readonly fd: number,
    readonly entries: ZipEntry[],
    private readonly fileSize: number,
  ) {}

  /** Opens the archive and reads its directory; throws ZipFormatError for anything that is not a sound zip. */
  static open(path: string): ZipFile {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const cd = findCentralDirectory(fd, size);
      return new ZipFile(fd, parseCentralDirectory(read(fd, cd.size, cd.offset), cd.entries), size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** An entry's bytes, inflated and checked (throws ZipFormatError when damaged). */
  read(entry: ZipEntry): Buffer {
    if (entry.localHeaderOffset + 30 + entry.compressedSize > this.fileSize) throw new ZipFormatError(`${entry.name} lies past the end of the file`);
    // One read for the header and the data, guessing the local name and extra lengths from the central ones.
    const guess = Math.min(this.fileSize - entry.localHeaderOffset, 30 + Buffer.byteLength(entry.name) + 64 + entry.compressedSize);
    let chunk = read(this.fd, guess, entry.localHeaderOffset, this.scratch);
    if (chunk.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`no local header for ${entry.name}`);
    const start = 30 + chunk.readUInt16LE(26) + chunk.readUInt16LE(28);
    if (start + entry.compressedSize > chunk.length) chunk = read(this.fd, start + entry.compressedSize, entry.localHeaderOffset, this.scratch);
    const data = chunk.subarray(start, start + entry.compressedSize);
    let raw: Buffer;
    // A stored entry is copied out of the scratch buffer (the next read reuses it).
    if (entry.method === 0) raw = Buffer.from(data);
    else if (entry.method === 8) {
      try {
        raw = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
      } catch (error) {
        throw new ZipFormatError(`${entry.name} does not inflate: ${(error as Error).message}`);
      }
    } else throw new ZipFormatError(`${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`);
    if (raw.length !== entry.uncompressedSize) throw new ZipFormatError(`${entry.name} inflates to ${raw.length} bytes, not the ${entry.uncompressedSize} it declares`);
    if (crc32 && crc32(raw) >>> 0 !== entry.crc32) throw new ZipFormatError(`${entry.name} fails its CRC-32 check`);
    return raw;
  }

  close(): void {
    closeSync(this.fd);
  }
}
