/**
 * Test helper: a minimal ELF file with the given sections, each in its own loadable segment,
 * so build-info readers can be tested on exact layouts (old pointer format, stripped section
 * headers, auditable sections, 32-bit and big-endian files) without shipping binaries.
 */
export interface TestElfSection {
  name: string;
  data: Buffer;
  /** Virtual address the section is loaded at. */
  address: bigint;
  writable?: boolean;
}

export interface TestElfOptions {
  withSectionHeaders?: boolean;
  bits?: 32 | 64;
  bigEndian?: boolean;
}

class Writer {
  constructor(
    readonly out: Buffer,
    private readonly bits: 32 | 64,
    private readonly bigEndian: boolean,
  ) {}
  u16(at: number, value: number) {
    if (this.bigEndian) this.out.writeUInt16BE(value, at);
    else this.out.writeUInt16LE(value, at);
  }
  u32(at: number, value: number) {
    if (this.bigEndian) this.out.writeUInt32BE(value, at);
    else this.out.writeUInt32LE(value, at);
  }
  /** A native word (address, offset, size): 4 or 8 bytes. */
  word(at: number, value: bigint | number) {
    if (this.bits === 32) return this.u32(at, Number(value));
    if (this.bigEndian) this.out.writeBigUInt64BE(BigInt(value), at);
    else this.out.writeBigUInt64LE(BigInt(value), at);
  }
}

export function buildTestElf(sections: TestElfSection[], opts: TestElfOptions = {}): Buffer {
  const withSectionHeaders = opts.withSectionHeaders ?? true;
  const bits = opts.bits ?? 64;
  const is64 = bits === 64;
  const [EHDR, PHDR, SHDR] = is64 ? [64, 56, 64] : [52, 32, 40];
  const names = Buffer.concat([Buffer.from([0]), ...sections.map((s) => Buffer.from(`${s.name}\0`, 'latin1')), Buffer.from('.shstrtab\0')]);
  const phoff = EHDR;
  let cursor = phoff + PHDR * sections.length;
  const offsets = sections.map((s) => {
    cursor = Math.ceil(cursor / 16) * 16;
    const at = cursor;
    cursor += s.data.length;
    return at;
  });
  const namesOffset = cursor;
  cursor += names.length;
  const shoff = Math.ceil(cursor / 8) * 8;
  const shnum = withSectionHeaders ? sections.length + 2 : 0;
  const w = new Writer(Buffer.alloc(shoff + SHDR * shnum), bits, opts.bigEndian ?? false);

  w.out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, opts.bigEndian ? 2 : 1, 1], 0);
  w.u16(16, 2); // ET_EXEC
  w.u16(18, is64 ? 62 : 3); // x86-64 / i386
  w.u32(20, 1);
  const [phoffAt, shoffAt, sizesAt] = is64 ? [0x20, 0x28, 0x34] : [0x1c, 0x20, 0x28];
  w.word(phoffAt, phoff);
  w.word(shoffAt, withSectionHeaders ? shoff : 0);
  [EHDR, PHDR, sections.length, SHDR, shnum, withSectionHeaders ? sections.length + 1 : 0].forEach((value, i) => w.u16(sizesAt + 2 * i, value));

  const writeSectionHeader = (at: number, nameOffset: number, type: number, address: bigint, offset: number, size: number) => {
    w.u32(at, nameOffset);
    w.u32(at + 4, type);
    w.word(at + (is64 ? 16 : 12), address);
    w.word(at + (is64 ? 24 : 16), offset);
    w.word(at + (is64 ? 32 : 20), size);
  };

  let nameCursor = 1;
  sections.forEach((section, i) => {
    w.out.set(section.data, offsets[i]!);
    const ph = phoff + i * PHDR;
    const flags = section.writable ? 6 : 4; // R(W)
    w.u32(ph, 1); // PT_LOAD
    if (is64) {
      w.u32(ph + 4, flags);
      [offsets[i]!, section.address, section.address, section.data.length, section.data.length].forEach((v, k) => w.word(ph + 8 + 8 * k, v));
    } else {
      [offsets[i]!, section.address, section.address, section.data.length, section.data.length].forEach((v, k) => w.word(ph + 4 + 4 * k, v));
      w.u32(ph + 24, flags);
    }
    if (withSectionHeaders) writeSectionHeader(shoff + (i + 1) * SHDR, nameCursor, 1, section.address, offsets[i]!, section.data.length);
    nameCursor += section.name.length + 1;
  });
  w.out.set(names, namesOffset);
  if (withSectionHeaders) writeSectionHeader(shoff + (sections.length + 1) * SHDR, nameCursor, 3, 0n, namesOffset, names.length);
  return w.out;
}
