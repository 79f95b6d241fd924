/**
 * Header blobs from a Berkeley DB hash database: rpm's `Packages` up to RHEL/CentOS 8 and
 * Amazon Linux 2 (the approach of go-rpmdb, to the page layout of libdb's db_page.h). Page 0
 * is the hash metadata page; every hash page holds key/data item pairs; rpm's data items
 * are HOFFPAGE references to a chain of overflow pages holding the header blob. Small
 * inline (H_KEYDATA) values are read too, except rpm's instance counter (key 0). Either byte order is accepted (BDB writes the
 * creating host's order). Everything is bounds-checked: a bad page or chain is reported
 * through `problem` and skipped; a file that is not a BDB hash database throws.
 */

const HASH_MAGIC = 0x061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const VALID_PAGE_SIZES = new Set([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]);

export class NotBerkeleyDbError extends Error {}

export function isBerkeleyDbHash(buf: Buffer): boolean {
  return buf.length >= 72 && (buf.readUInt32LE(12) === HASH_MAGIC || buf.readUInt32BE(12) === HASH_MAGIC);
}

export function readBerkeleyDbBlobs(buf: Buffer, problem: (message: string) => void): Buffer[] {
  if (!isBerkeleyDbHash(buf)) throw new NotBerkeleyDbError('not a Berkeley DB hash database (bad magic)');
  const le = buf.readUInt32LE(12) === HASH_MAGIC;
  const u32 = (at: number): number => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const u16 = (at: number): number => (le ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const pageSize = u32(20);
  if (!VALID_PAGE_SIZES.has(pageSize)) throw new NotBerkeleyDbError(`unexpected page size ${pageSize}`);
  if (buf[24] !== 0) throw new NotBerkeleyDbError('encrypted Berkeley DB databases are not supported');
  if (buf[25] !== P_HASHMETA) throw new NotBerkeleyDbError(`page 0 is type ${buf[25]}, not hash metadata`);
  const pageCount = Math.floor(buf.length / pageSize);
  const lastPage = Math.min(u32(32), pageCount - 1);
  if (u32(32) >= pageCount) problem(`Berkeley DB: file is truncated (last page ${u32(32)}, file holds ${pageCount})`);

  const blobs: Buffer[] = [];
  for (let page = 1; page <= lastPage; page++) {
    const start = page * pageSize;
    const type = buf[start + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(start + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) {
      problem(`Berkeley DB page ${page}: ${entries} entries do not fit`);
      continue;
    }
    // Items are key/data pairs; data items sit at odd indexes.
    for (let i = 1; i < entries; i += 2) {
      const offset = u16(start + PAGE_HEADER + i * 2);
      if (offset < PAGE_HEADER || offset >= pageSize) {
        problem(`Berkeley DB page ${page}: item ${i} offset ${offset} outside the page`);
        continue;
      }
      const itemType = buf[start + offset];
      if (itemType === H_OFFPAGE) {
        if (offset + 12 > pageSize) {
          problem(`Berkeley DB page ${page}: overflow reference past the page end`);
          continue;
        }
        const blob = readOverflowChain(buf, u32(start + offset + 4), u32(start + offset + 8), pageSize, pageCount, u16, u32, problem);
        if (blob) blobs.push(blob);
      } else if (itemType === H_KEYDATA && !isInstanceCounter(buf, start, u16(start + PAGE_HEADER + (i - 1) * 2), pageSize)) {
        // Items fill the page from the end: an item ends where the previous one starts.
        const end = i === 0 ? pageSize : u16(start + PAGE_HEADER + (i - 1) * 2);
        if (end <= offset || end > pageSize) {
          problem(`Berkeley DB page ${page}: item ${i} has a bad length`);
          continue;
        }
        blobs.push(buf.subarray(start + offset + 1, start + end));
      }
    }
  }
  return blobs;
}

/** rpm keeps its next header instance number under key 0: that record is no package. */
function isInstanceCounter(buf: Buffer, pageStart: number, keyOffset: number, pageSize: number): boolean {
  if (keyOffset + 5 > pageSize) return false;
  const at = pageStart + keyOffset;
  return buf[at] === H_KEYDATA && buf.readUInt32LE(at + 1) === 0;
}

function readOverflowChain(
  buf: Buffer,
  firstPage: number,
  totalLength: number,
  pageSize: number,
  pageCount: number,
  u16: (at: number) => number,
  u32: (at: number) => number,
  problem: (message: string) => void,
): Buffer | null {
  const parts: Buffer[] = [];
  let length = 0;
  const seen = new Set<number>();
  for (let page = firstPage; page !== 0; ) {
    if (page >= pageCount || seen.has(page)) {
      problem(`Berkeley DB: overflow chain from page ${firstPage} is broken at page ${page}`);
      return null;
    }
    seen.add(page);
    const start = page * pageSize;
    if (buf[start + 25] !== P_OVERFLOW) {
      problem(`Berkeley DB: page ${page} in an overflow chain is type ${buf[start + 25]}`);
      return null;
    }
    // On overflow pages the "high free offset" field holds the number of bytes used.
    const used = Math.min(u16(start + 22), pageSize - PAGE_HEADER);
    parts.push(buf.subarray(start + PAGE_HEADER, start + PAGE_HEADER + used));
    length += used;
    page = u32(start + 16);
  }
  if (length < totalLength) {
    problem(`Berkeley DB: overflow chain from page ${firstPage} holds ${length} of ${totalLength} bytes`);
    return null;
  }
  return Buffer.concat(parts, length).subarray(0, totalLength);
}
