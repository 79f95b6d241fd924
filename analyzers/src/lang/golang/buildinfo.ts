/**
 * Go build information embedded by the linker (what `go version -m` prints), read the way
 * Go's own debug/buildinfo does: the `\xff Go buildinf:` header at the start of the
 * `.go.buildinfo` section (or, with section headers stripped, 16-byte aligned at the start of
 * the first writable segment), then either
 * - Go 1.18+ (flag bit 2): the toolchain version and module info inline, each a uvarint
 *   length followed by the bytes; or
 * - older: two pointers to Go string headers (data pointer, length) holding the same.
 */
import { PF_W, PT_LOAD, readAtAddress, readElf, sectionData, type ElfFile } from '../binary/elf.ts';

const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const FLAG_BIG_ENDIAN = 0x1;
const FLAG_INLINE_STRINGS = 0x2;
/** Go searches this far into the data segment for the header. */
const SEARCH_LIMIT = 64 * 1024;

export interface GoBuildInfo {
  /** Toolchain version as embedded, e.g. `go1.19.8` (may carry ` X:experiment`). */
  goVersion: string;
  /** Module info text: `path`, `mod`, `dep`, `=>`, `build` lines. */
  modInfo: string;
}

function findHeader(elf: ElfFile): Buffer | undefined {
  const section = sectionData(elf, '.go.buildinfo');
  if (section) return section.subarray(0, BUILDINFO_MAGIC.length).equals(BUILDINFO_MAGIC) ? section : undefined;
  const data = elf.segments.find((s) => s.type === PT_LOAD && (s.flags & PF_W) !== 0);
  if (!data) return undefined;
  const region = elf.content.subarray(data.offset, Math.min(data.offset + data.fileSize, data.offset + SEARCH_LIMIT));
  for (let at = region.indexOf(BUILDINFO_MAGIC); at >= 0; at = region.indexOf(BUILDINFO_MAGIC, at + 1)) {
    if (at % 16 === 0) return region.subarray(at);
  }
  return undefined;
}

function readUvarint(buffer: Buffer, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let shift = 0, at = offset; at < buffer.length && shift < 35; shift += 7, at++) {
    const byte = buffer[at]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  return undefined;
}

function readInlineStrings(header: Buffer): [string, string] | undefined {
  const out: string[] = [];
  let offset = HEADER_SIZE;
  for (let i = 0; i < 2; i++) {
    const length = readUvarint(header, offset);
    if (!length || length.next + length.value > header.length) return undefined;
    out.push(header.toString('utf8', length.next, length.next + length.value));
    offset = length.next + length.value;
  }
  return [out[0]!, out[1]!];
}

function readPointerStrings(elf: ElfFile, header: Buffer, pointerSize: number, bigEndian: boolean): [string, string] | undefined {
  const word = (buffer: Buffer, at: number): bigint =>
    pointerSize === 8
      ? bigEndian ? buffer.readBigUInt64BE(at) : buffer.readBigUInt64LE(at)
      : BigInt(bigEndian ? buffer.readUInt32BE(at) : buffer.readUInt32LE(at));
  const readGoString = (pointer: bigint): string | undefined => {
    const stringHeader = readAtAddress(elf, pointer, pointerSize * 2);
    if (!stringHeader) return undefined;
    const length = Number(word(stringHeader, pointerSize));
    if (length === 0) return '';
    return readAtAddress(elf, word(stringHeader, 0), length)?.toString('utf8');
  };
  if (header.length < 16 + 2 * pointerSize) return undefined;
  const version = readGoString(word(header, 16));
  const modInfo = readGoString(word(header, 16 + pointerSize));
  return version === undefined || modInfo === undefined ? undefined : [version, modInfo];
}

/** The linker wraps module info in 16-byte sentinels; strip them as debug/buildinfo does. */
function stripSentinels(modInfo: string): string {
  return modInfo.length >= 33 && modInfo[modInfo.length - 17] === '\n' ? modInfo.slice(16, -16) : modInfo;
}

/** Build info of a Go ELF binary; undefined for anything else (not ELF, not Go, truncated). */
export function readGoBuildInfo(content: Buffer): GoBuildInfo | undefined {
  const elf = readElf(content);
  if (!elf) return undefined;
  const header = findHeader(elf);
  if (!header || header.length < HEADER_SIZE) return undefined;
  const pointerSize = header[14]!;
  const flags = header[15]!;
  const strings =
    (flags & FLAG_INLINE_STRINGS) !== 0
      ? readInlineStrings(header)
      : pointerSize === 4 || pointerSize === 8
        ? readPointerStrings(elf, header, pointerSize, (flags & FLAG_BIG_ENDIAN) !== 0)
        : undefined;
  if (!strings || !strings[0].startsWith('go')) return undefined;
  return { goVersion: strings[0], modInfo: stripSentinels(strings[1]) };
}
