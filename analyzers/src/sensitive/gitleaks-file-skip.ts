/**
 * Which files gitleaks' directory scan never reads for secrets, so that the secret pass reads
 * what gitleaks reads: no more (nothing flagged that gitleaks leaves alone) and no less (a
 * secret in a file with a NUL byte, a gettext catalogue or a Berkeley DB, is still found).
 *
 * gitleaks (sources/file.go at the commit our rule data comes from, b58d3f1) skips a file
 * - when its name names an archive or a compressed file: `archives.Identify(ctx, path, nil)` of
 *   mholt/archives v0.1.5 matches by name alone when given no stream (archive depth 0, the
 *   default, then skips it), see archiveByName;
 * - when h2non/filetype v1.1.3 says the first read of it (up to 100,000 bytes) is an
 *   `application/*` type, see applicationByContent.
 * Written from those definitions; the tests check each type's signature both ways.
 */

/** gitleaks' first read of a file (sources/file.go defaultBufferSize): what filetype sees. */
export const GITLEAKS_HEAD_BYTES = 100_000;

/**
 * mholt/archives v0.1.5 matching by name: the lowercased base name contains the format's
 * extension (lzip and MinLZ: ends with it), for the formats it registers.
 */
const CONTAINED = ['.7z', '.br', '.bz2', '.gz', '.lz4', '.rar', '.sz', '.s2', '.tar', '.xz', '.zip', '.zz', '.zst'];
const SUFFIXES = ['.lz', '.mz'];

export function archiveByName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (CONTAINED.some((ext) => base.includes(ext))) return true;
  // filepath.Ext: from the last dot of the base name.
  const dot = base.lastIndexOf('.');
  return dot !== -1 && SUFFIXES.includes(base.slice(dot));
}

type Matcher = (b: Uint8Array) => boolean;

const prefix =
  (...bytes: number[]): Matcher =>
  (b) =>
    b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const at = (b: Uint8Array, offset: number, text: string) => b.length >= offset + text.length && [...text].every((c, i) => b[offset + i] === c.charCodeAt(0));
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

// filetype's Application category (all application/*): wasm, dex, dey.
const dex: Matcher = (b) => b.length > 36 && b[0] === 0x64 && b[1] === 0x65 && b[2] === 0x78 && b[3] === 0x0a && b[36] === 0x70;
const APPLICATION: Matcher[] = [
  (b) => b.length >= 8 && prefix(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)(b),
  dex,
  (b) => b.length > 100 && b[0] === 0x64 && b[1] === 0x65 && b[2] === 0x79 && b[3] === 0x0a && dex(b.subarray(40, 100)),
];

// Image, Video and Audio: not application; a match in them ends the search first.
const isobmffBrands = (b: Uint8Array): { major: string; compatible: string[] } | null => {
  if (b.length < 16 || !at(b, 4, 'ftyp')) return null;
  const length = u32be(b, 0);
  if (b.length < length || b.length < 17) return null;
  const text = (i: number) => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
  const compatible: string[] = [];
  for (let i = 16; i < length; i += 4) if (b.length >= i + 4) compatible.push(text(i));
  return { major: text(8), compatible };
};
const tiffHeader = (b: Uint8Array) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a);
const cr2: Matcher = (b) => b.length > 10 && tiffHeader(b) && b[8] === 0x43 && b[9] === 0x52 && b[10] === 0x02;
const IMAGE: Matcher[] = [
  (b) => b.length > 2 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, // jpeg
  (b) => b.length > 12 && prefix(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0x00)(b), // jpeg 2000
  (b) => b.length > 3 && prefix(0x89, 0x50, 0x4e, 0x47)(b), // png
  (b) => b.length > 2 && prefix(...ascii('GIF'))(b),
  (b) => b.length > 11 && at(b, 8, 'WEBP'),
  cr2,
  (b) => b.length > 10 && tiffHeader(b) && !cr2(b),
  (b) => b.length > 1 && b[0] === 0x42 && b[1] === 0x4d, // bmp: "BM"
  (b) => b.length > 2 && b[0] === 0x49 && b[1] === 0x49 && b[2] === 0xbc, // jxr
  (b) => b.length > 3 && prefix(...ascii('8BPS'))(b), // psd
  (b) => b.length > 3 && prefix(0x00, 0x00, 0x01, 0x00)(b), // ico
  (b) => {
    // heif
    const brands = isobmffBrands(b);
    if (!brands) return false;
    return brands.major === 'heic' || ((brands.major === 'mif1' || brands.major === 'msf1') && brands.compatible.includes('heic'));
  },
  (b) => b.length > 3 && prefix(...ascii('AC10'))(b), // dwg
];
const matroska = (b: Uint8Array, subType: string): boolean => {
  if (!(b.length > 3 && prefix(0x1a, 0x45, 0xdf, 0xa3)(b))) return false;
  const window = b.subarray(0, Math.min(4096, b.length));
  const index = Buffer.from(window.buffer, window.byteOffset, window.length).indexOf(subType, 0, 'latin1');
  return index >= 3 && b[index - 3] === 0x42 && b[index - 2] === 0x82;
};
const MP4_BRANDS = ['avc1', 'dash', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'isom', 'mmp4', 'mp41', 'mp42', 'mp4v', 'mp71', 'MSNV', 'NDAS', 'NDSC', 'NSDC', 'NDSH', 'NDSM', 'NDSP', 'NDSS', 'NDXC', 'NDXH', 'NDXM', 'NDXP', 'NDXS', 'F4V ', 'F4P '];
const VIDEO: Matcher[] = [
  (b) => b.length > 11 && at(b, 4, 'ftyp') && MP4_BRANDS.some((brand) => at(b, 8, brand)), // mp4
  (b) => b.length > 10 && at(b, 4, 'ftypM4V'), // m4v
  (b) => matroska(b, 'matroska'),
  (b) => matroska(b, 'webm'),
  (b) => b.length > 15 && ((prefix(0x00, 0x00, 0x00, 0x14)(b) && at(b, 4, 'ftyp')) || at(b, 4, 'moov') || at(b, 4, 'mdat') || at(b, 12, 'mdat')), // mov
  (b) => b.length > 10 && prefix(...ascii('RIFF'))(b) && at(b, 8, 'AVI'),
  (b) => b.length > 9 && prefix(0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9)(b), // wmv
  (b) => b.length > 3 && b[0] === 0x00 && b[1] === 0x00 && b[2] === 0x01 && b[3]! >= 0xb0 && b[3]! <= 0xbf, // mpeg
  (b) => b.length > 3 && prefix(0x46, 0x4c, 0x56, 0x01)(b), // flv
  (b) => b.length > 10 && at(b, 4, 'ftyp3gp'),
];
const AUDIO: Matcher[] = [
  (b) => b.length > 3 && prefix(...ascii('MThd'))(b), // midi
  (b) => b.length > 2 && (prefix(...ascii('ID3'))(b) || (b[0] === 0xff && b[1] === 0xfb)), // mp3
  (b) => b.length > 10 && (at(b, 4, 'ftypM4A') || prefix(...ascii('M4A '))(b)),
  (b) => b.length > 3 && prefix(...ascii('OggS'))(b),
  (b) => b.length > 3 && prefix(...ascii('fLaC'))(b),
  (b) => b.length > 11 && prefix(...ascii('RIFF'))(b) && at(b, 8, 'WAVE'),
  (b) => b.length > 11 && prefix(...ascii('#!AMR\n'))(b),
  (b) => b.length > 1 && b[0] === 0xff && (b[1] === 0xf1 || b[1] === 0xf9), // aac
  (b) => b.length > 11 && prefix(...ascii('FORM'))(b) && at(b, 8, 'AIFF'),
];

// Font, Document and Archive: all application/*.
const FONT: Matcher[] = [
  (b) => b.length > 7 && prefix(0x77, 0x4f, 0x46, 0x46, 0x00, 0x01, 0x00, 0x00)(b), // woff
  (b) => b.length > 7 && prefix(0x77, 0x4f, 0x46, 0x32, 0x00, 0x01, 0x00, 0x00)(b), // woff2
  (b) => b.length > 4 && prefix(0x00, 0x01, 0x00, 0x00, 0x00)(b), // ttf
  (b) => b.length > 4 && prefix(0x4f, 0x54, 0x54, 0x4f, 0x00)(b), // otf
];
const zip: Matcher = (b) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05 || b[2] === 0x07) && (b[3] === 0x04 || b[3] === 0x06 || b[3] === 0x08);
const compoundFile = (second: [number, number]): Matcher => (b) => {
  if (!(b.length > 3 && prefix(0xd0, 0xcf, 0x11, 0xe0)(b))) return false;
  return b.length > 513 ? b[512] === second[0] && b[513] === second[1] : true;
};
const DOCUMENT: Matcher[] = [
  compoundFile([0xec, 0xa5]), // doc
  compoundFile([0x09, 0x08]), // xls
  compoundFile([0xa0, 0x46]), // ppt
  // docx, xlsx, pptx: ZIP files first of all, which the archive matchers catch.
];
const zstd: Matcher = (data) => {
  // A frame, or skippable frames (magic 0x184D2A5?, then their length) before one.
  for (let b = data; ; ) {
    if (prefix(0x28, 0xb5, 0x2f, 0xfd)(b)) return true;
    if (b.length < 8 || (u32le(b, 0) & 0xfffffff0) >>> 0 !== 0x184d2a50) return false;
    const userData = u32le(b, 4);
    if (b.length < 8 + userData) return false;
    b = b.subarray(8 + userData);
  }
};
const ARCHIVE: Matcher[] = [
  zip, // also epub, docx, xlsx, pptx, jar
  (b) => b.length > 261 && at(b, 257, 'ustar'), // tar
  (b) => b.length > 6 && prefix(...ascii('Rar!'), 0x1a, 0x07)(b) && (b[6] === 0x00 || b[6] === 0x01),
  prefix(0x1f, 0x8b, 0x08), // gz
  prefix(...ascii('BZh')), // bz2
  prefix(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c), // 7z
  prefix(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00), // xz
  zstd,
  prefix(...ascii('%PDF')),
  prefix(...ascii('MZ')), // exe
  (b) => b.length > 2 && (b[0] === 0x43 || b[0] === 0x46) && b[1] === 0x57 && b[2] === 0x53, // swf
  prefix(...ascii('{\\rtf')),
  (b) => b.length > 35 && b[34] === 0x4c && b[35] === 0x50 && ((b[8] === 0x02 && b[9] === 0x00 && b[10] === 0x01) || (b[8] === 0x01 && b[9] === 0x00 && b[10] === 0x00) || (b[8] === 0x02 && b[9] === 0x00 && b[10] === 0x02)), // eot
  prefix(...ascii('%!')), // ps
  prefix(...ascii('SQLi')), // sqlite
  prefix(...ascii('NES'), 0x1a),
  prefix(...ascii('Cr24')), // crx
  (b) => b.length > 3 && (prefix(...ascii('MSCF'))(b) || prefix(...ascii('ISc('))(b)), // cab
  prefix(...ascii('!<arch>')), // ar, deb
  (b) => b.length > 1 && b[0] === 0x1f && (b[1] === 0xa0 || b[1] === 0x9d), // Z
  prefix(...ascii('LZIP')),
  (b) => b.length > 96 && prefix(0xed, 0xab, 0xee, 0xdb)(b), // rpm
  (b) => b.length > 52 && prefix(0x7f, ...ascii('ELF'))(b),
  (b) => b.length > 131 && at(b, 128, 'DICM'),
  (b) => b.length > 32773 && at(b, 32769, 'CD001'), // iso
  // Mach-O, and with it Java class files (0xCAFEBABE, the fat Mach-O magic).
  (b) => b.length > 3 && [[0xfe, 0xed, 0xfa, 0xcf], [0xfe, 0xed, 0xfa, 0xce], [0xbe, 0xba, 0xfe, 0xca], [0xcf, 0xfa, 0xed, 0xfe], [0xce, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((m) => prefix(...m)(b)),
];

/**
 * Whether filetype.Match says `application/*` for this start of a file. filetype tries its
 * categories in this order (matchers.go registers them reversed): Application, Image, Video,
 * Audio, Font, Document, Archive; the first match wins. Every category is of one MIME kind,
 * so the order within one (a Go map's, random) does not change the answer.
 */
export function applicationByContent(head: Uint8Array): boolean {
  const b = head.length > GITLEAKS_HEAD_BYTES ? head.subarray(0, GITLEAKS_HEAD_BYTES) : head;
  if (b.length === 0) return false;
  if (APPLICATION.some((m) => m(b))) return true;
  if (IMAGE.some((m) => m(b)) || VIDEO.some((m) => m(b)) || AUDIO.some((m) => m(b))) return false;
  return FONT.some((m) => m(b)) || DOCUMENT.some((m) => m(b)) || ARCHIVE.some((m) => m(b));
}
