/**
 * The little of ELF that build-info readers need: sections by name, and mapping a virtual
 * address to a file offset through the loadable segments. Works on 32/64-bit, either
 * endianness; every offset is bounds-checked so a truncated file gives undefined, not a throw.
 */

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export function isElf(content: Buffer): boolean {
  return content.length >= 52 && content.subarray(0, 4).equals(ELF_MAGIC);
}

export interface ElfSection {
  name: string;
  type: number;
  address: bigint;
  offset: number;
  size: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  virtualAddress: bigint;
  fileSize: number;
}

export const PT_LOAD = 1;
export const PF_W = 2;
const SHT_NOBITS = 8;

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
  content: Buffer;
}

class Reader {
  constructor(
    private readonly buffer: Buffer,
    private readonly littleEndian: boolean,
    private readonly is64: boolean,
  ) {}
  u16(offset: number) {
    return this.littleEndian ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset);
  }
  u32(offset: number) {
    return this.littleEndian ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset);
  }
  u64(offset: number) {
    return this.littleEndian ? this.buffer.readBigUInt64LE(offset) : this.buffer.readBigUInt64BE(offset);
  }
  /** A native-word field (address, offset, size). */
  word(offset: number): bigint {
    return this.is64 ? this.u64(offset) : BigInt(this.u32(offset));
  }
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** Parse headers; undefined when the file is not ELF or its headers lie outside the file. */
export function readElf(content: Buffer): ElfFile | undefined {
  if (!isElf(content)) return undefined;
  const is64 = content[4] === 2;
  const littleEndian = content[5] !== 2;
  const r = new Reader(content, littleEndian, is64);
  try {
    const phoff = safeNumber(r.word(is64 ? 0x20 : 0x1c));
    const shoff = safeNumber(r.word(is64 ? 0x28 : 0x20));
    const base = is64 ? 0x36 : 0x2a;
    const [phentsize, phnum, shentsize, shnum, shstrndx] = [0, 2, 4, 6, 8].map((delta) => r.u16(base + delta)) as [number, number, number, number, number];

    const segments: ElfSegment[] = [];
    for (let i = 0; i < phnum && phoff + (i + 1) * phentsize <= content.length; i++) {
      const at = phoff + i * phentsize;
      segments.push(
        is64
          ? { type: r.u32(at), flags: r.u32(at + 4), offset: safeNumber(r.u64(at + 8)), virtualAddress: r.u64(at + 16), fileSize: safeNumber(r.u64(at + 32)) }
          : { type: r.u32(at), offset: r.u32(at + 4), virtualAddress: BigInt(r.u32(at + 8)), fileSize: r.u32(at + 16), flags: r.u32(at + 24) },
      );
    }

    const raw: Array<Omit<ElfSection, 'name'> & { nameOffset: number }> = [];
    for (let i = 0; i < shnum && shoff > 0 && shoff + (i + 1) * shentsize <= content.length; i++) {
      const at = shoff + i * shentsize;
      raw.push(
        is64
          ? { nameOffset: r.u32(at), type: r.u32(at + 4), address: r.u64(at + 16), offset: safeNumber(r.u64(at + 24)), size: safeNumber(r.u64(at + 32)) }
          : { nameOffset: r.u32(at), type: r.u32(at + 4), address: BigInt(r.u32(at + 12)), offset: r.u32(at + 16), size: r.u32(at + 20) },
      );
    }
    const names = raw[shstrndx];
    const sections = raw.map(({ nameOffset, ...section }) => ({ ...section, name: names ? cString(content, names.offset + nameOffset) : '' }));
    return { is64, littleEndian, sections, segments, content };
  } catch {
    return undefined; // a header field pointed past the end: truncated file
  }
}

function cString(content: Buffer, offset: number): string {
  if (offset >= content.length) return '';
  const end = content.indexOf(0, offset);
  return content.toString('latin1', offset, end < 0 ? content.length : end);
}

/** A section's bytes, or undefined when absent, empty in the file (NOBITS) or truncated. */
export function sectionData(elf: ElfFile, name: string): Buffer | undefined {
  const section = elf.sections.find((s) => s.name === name);
  if (!section || section.type === SHT_NOBITS || section.offset + section.size > elf.content.length) return undefined;
  return elf.content.subarray(section.offset, section.offset + section.size);
}

/** Bytes at a virtual address (up to `length`, within one loadable segment). */
export function readAtAddress(elf: ElfFile, address: bigint, length: number): Buffer | undefined {
  for (const segment of elf.segments) {
    if (segment.type !== PT_LOAD) continue;
    const start = segment.virtualAddress;
    if (address < start || address >= start + BigInt(segment.fileSize)) continue;
    const offset = segment.offset + Number(address - start);
    const end = Math.min(offset + length, segment.offset + segment.fileSize, elf.content.length);
    return offset + length <= end ? elf.content.subarray(offset, end) : undefined;
  }
  return undefined;
}
