/**
 * The rpm header blob as rpm stores it in its database (rpm's lib/header.c, "header
 * structure" in rpm's file-format docs): big-endian `il` (index entry count) and `dl`
 * (data length), `il` index entries of 16 bytes (tag, type, offset, count), then `dl` bytes
 * of data. Every read is bounds-checked: a corrupt blob throws `RpmHeaderError`, which the
 * database readers turn into a note.
 */

export class RpmHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpmHeaderError';
  }
}

export const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  LONGSIZE: 5009,
  MODULARITYLABEL: 5096,
} as const;

const TYPE = { CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

// rpm's own sanity limits (hdrchkTags / hdrchkData).
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;

interface IndexEntry {
  type: number;
  offset: number;
  count: number;
}

export class RpmHeader {
  private readonly entries = new Map<number, IndexEntry>();
  private readonly data: Buffer;

  constructor(blob: Buffer) {
    if (blob.length < 8) throw new RpmHeaderError(`header blob too short (${blob.length} bytes)`);
    const il = blob.readUInt32BE(0);
    const dl = blob.readUInt32BE(4);
    if (il === 0 || il > MAX_TAGS) throw new RpmHeaderError(`implausible index entry count ${il}`);
    if (dl > MAX_DATA) throw new RpmHeaderError(`implausible data length ${dl}`);
    const dataStart = 8 + il * 16;
    if (dataStart + dl > blob.length) throw new RpmHeaderError(`header needs ${dataStart + dl} bytes, blob has ${blob.length}`);
    this.data = blob.subarray(dataStart, dataStart + dl);
    for (let i = 0; i < il; i++) {
      const at = 8 + i * 16;
      const tag = blob.readInt32BE(at);
      const entry = { type: blob.readUInt32BE(at + 4), offset: blob.readInt32BE(at + 8), count: blob.readUInt32BE(at + 12) };
      if (entry.offset < 0 || entry.offset > dl) throw new RpmHeaderError(`tag ${tag}: offset ${entry.offset} outside the data (${dl} bytes)`);
      if (!this.entries.has(tag)) this.entries.set(tag, entry);
    }
  }

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** A STRING (or the first of a STRING_ARRAY / I18NSTRING); undefined when absent. */
  string(tag: number): string | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== TYPE.STRING && e.type !== TYPE.STRING_ARRAY && e.type !== TYPE.I18NSTRING) {
      throw new RpmHeaderError(`tag ${tag}: type ${e.type} is not a string`);
    }
    const end = this.data.indexOf(0, e.offset);
    if (end < 0) throw new RpmHeaderError(`tag ${tag}: unterminated string`);
    return this.data.toString('utf8', e.offset, end);
  }

  /** The first value of an integer tag; undefined when absent. */
  number(tag: number): number | undefined {
    const e = this.entries.get(tag);
    if (!e || e.count === 0) return undefined;
    const width = e.type === TYPE.INT64 ? 8 : e.type === TYPE.INT32 ? 4 : e.type === TYPE.INT16 ? 2 : e.type === TYPE.INT8 || e.type === TYPE.CHAR ? 1 : 0;
    if (width === 0) throw new RpmHeaderError(`tag ${tag}: type ${e.type} is not an integer`);
    if (e.offset + width > this.data.length) throw new RpmHeaderError(`tag ${tag}: value past the end of the data`);
    switch (width) {
      case 8:
        return Number(this.data.readBigUInt64BE(e.offset));
      case 4:
        return this.data.readUInt32BE(e.offset);
      case 2:
        return this.data.readUInt16BE(e.offset);
      default:
        return this.data.readUInt8(e.offset);
    }
  }
}
