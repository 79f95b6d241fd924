/**
 * Header blobs from rpm's NDB database (`Packages.db`, SUSE/openSUSE since 15.3), to rpm's
 * lib/backend/ndb/rpmpkg.c: a 32-byte header (magic `RpmP`, version 0, generation, number of
 * slot pages), slot entries of 16 bytes (magic `Slot`, package index, block offset, block
 * count) filling the slot pages, and blobs at `blockOffset * 16`, each with a 16-byte head
 * (magic `BlbS`, package index, checksum, length) followed by the header blob. All values
 * little-endian. Bad slots or blobs are reported and skipped; a file that is not NDB throws.
 */

const HEADER_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const PAGE_SIZE = 4096;
const BLOCK_SIZE = 16;
const SLOT_SIZE = 16;
const HEADER_SIZE = 32;

export class NotNdbError extends Error {}

export function isNdb(buf: Buffer): boolean {
  return buf.length >= HEADER_SIZE && buf.readUInt32LE(0) === HEADER_MAGIC;
}

export function readNdbBlobs(buf: Buffer, problem: (message: string) => void): Buffer[] {
  if (!isNdb(buf)) throw new NotNdbError('not an rpm NDB database (bad magic)');
  const version = buf.readUInt32LE(4);
  if (version !== 0) throw new NotNdbError(`unsupported NDB version ${version}`);
  const slotPages = buf.readUInt32LE(12);
  const slotsEnd = Math.min(slotPages * PAGE_SIZE, buf.length);
  if (slotPages * PAGE_SIZE > buf.length) problem(`NDB: file is truncated (${slotPages} slot pages announced)`);
  const blobs: Buffer[] = [];
  for (let at = HEADER_SIZE; at + SLOT_SIZE <= slotsEnd; at += SLOT_SIZE) {
    const magic = buf.readUInt32LE(at);
    if (magic !== SLOT_MAGIC) {
      problem(`NDB: bad slot magic at offset ${at}`);
      continue;
    }
    const pkgIndex = buf.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue; // free slot
    const blockOffset = buf.readUInt32LE(at + 8);
    const blockCount = buf.readUInt32LE(at + 12);
    const start = blockOffset * BLOCK_SIZE;
    if (start + BLOCK_SIZE > buf.length || blockCount === 0) {
      problem(`NDB: package ${pkgIndex} points outside the file`);
      continue;
    }
    if (buf.readUInt32LE(start) !== BLOB_MAGIC || buf.readUInt32LE(start + 4) !== pkgIndex) {
      problem(`NDB: package ${pkgIndex} has a bad blob head`);
      continue;
    }
    const length = buf.readUInt32LE(start + 12);
    if (start + 16 + length > buf.length || 16 + length > blockCount * BLOCK_SIZE) {
      problem(`NDB: package ${pkgIndex} blob of ${length} bytes does not fit`);
      continue;
    }
    blobs.push(buf.subarray(start + 16, start + 16 + length));
  }
  return blobs;
}
