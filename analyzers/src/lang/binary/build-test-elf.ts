/**
 * Test helper: a minimal ELF64 little-endian file with the given sections, each in its own
 * loadable segment, so build-info readers can be tested on exact layouts (old pointer format,
 * stripped section headers, auditable sections) without shipping binaries.
 */
export interface TestElfSection {
  name: string;
  data: Buffer;
  /** Virtual address the section is loaded at. */
  address: bigint;
  writable?: boolean;
}

const EHDR = 64;
const PHDR = 56;
const SHDR = 64;

export function buildTestElf(sections: TestElfSection[], opts: { withSectionHeaders?: boolean } = {}): Buffer {
  const withSectionHeaders = opts.withSectionHeaders ?? true;
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
  const out = Buffer.alloc(shoff + SHDR * shnum);

  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // ELF, 64-bit, little-endian, version 1
  out.writeUInt16LE(2, 16); // ET_EXEC
  out.writeUInt16LE(62, 18); // x86-64
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(BigInt(phoff), 0x20);
  out.writeBigUInt64LE(withSectionHeaders ? BigInt(shoff) : 0n, 0x28);
  out.writeUInt16LE(EHDR, 0x34);
  out.writeUInt16LE(PHDR, 0x36);
  out.writeUInt16LE(sections.length, 0x38);
  out.writeUInt16LE(SHDR, 0x3a);
  out.writeUInt16LE(shnum, 0x3c);
  out.writeUInt16LE(withSectionHeaders ? sections.length + 1 : 0, 0x3e);

  let nameCursor = 1;
  sections.forEach((section, i) => {
    out.set(section.data, offsets[i]!);
    const ph = phoff + i * PHDR;
    out.writeUInt32LE(1, ph); // PT_LOAD
    out.writeUInt32LE(section.writable ? 6 : 4, ph + 4); // R(W)
    out.writeBigUInt64LE(BigInt(offsets[i]!), ph + 8);
    out.writeBigUInt64LE(section.address, ph + 16);
    out.writeBigUInt64LE(section.address, ph + 24);
    out.writeBigUInt64LE(BigInt(section.data.length), ph + 32);
    out.writeBigUInt64LE(BigInt(section.data.length), ph + 40);
    if (withSectionHeaders) {
      const sh = shoff + (i + 1) * SHDR;
      out.writeUInt32LE(nameCursor, sh);
      out.writeUInt32LE(1, sh + 4); // PROGBITS
      out.writeBigUInt64LE(section.address, sh + 16);
      out.writeBigUInt64LE(BigInt(offsets[i]!), sh + 24);
      out.writeBigUInt64LE(BigInt(section.data.length), sh + 32);
    }
    nameCursor += section.name.length + 1;
  });
  out.set(names, namesOffset);
  if (withSectionHeaders) {
    const sh = shoff + (sections.length + 1) * SHDR;
    out.writeUInt32LE(nameCursor, sh);
    out.writeUInt32LE(3, sh + 4); // STRTAB
    out.writeBigUInt64LE(BigInt(namesOffset), sh + 24);
    out.writeBigUInt64LE(BigInt(names.length), sh + 32);
  }
  return out;
}
