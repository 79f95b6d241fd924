import { describe, expect, it } from 'vitest';
import { applicationByContent, archiveByName, GITLEAKS_HEAD_BYTES } from './gitleaks-file-skip.ts';

/** `head` at the start, `at` pieces placed further in, padded with spaces to `length` bytes. */
function bytes(head: number[] | string, length = 600, at: Array<[number, number[] | string]> = []): Buffer {
  const b = Buffer.alloc(Math.max(length, typeof head === 'string' ? head.length : head.length), 0x20);
  const put = (offset: number, piece: number[] | string) => (typeof piece === 'string' ? b.write(piece, offset, 'latin1') : Buffer.from(piece).copy(b, offset));
  put(0, head);
  for (const [offset, piece] of at) put(offset, piece);
  return b;
}

describe('applicationByContent (h2non/filetype v1.1.3: the first match is application/*)', () => {
  it.each([
    ['ELF executable or library', bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])],
    ['Java class file (0xCAFEBABE: fat Mach-O)', bytes([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34])],
    ['Mach-O', bytes([0xcf, 0xfa, 0xed, 0xfe])],
    ['DOS/Windows executable, or any text starting "MZ"', bytes('MZ')],
    ['zip (jar, docx, epub)', bytes([0x50, 0x4b, 0x03, 0x04])],
    ['gzip', bytes([0x1f, 0x8b, 0x08])],
    ['bzip2, or a text starting "BZh"', bytes('BZh91AY')],
    ['xz', bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
    ['7z', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
    ['zstd', bytes([0x28, 0xb5, 0x2f, 0xfd])],
    ['zstd after skippable frames', bytes([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9, 0x5e, 0x2a, 0x4d, 0x18, 0, 0, 0, 0, 0x28, 0xb5, 0x2f, 0xfd])],
    ['tar', bytes('etc/passwd', 600, [[257, 'ustar']])],
    ['rar', bytes([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00])],
    ['PDF', bytes('%PDF-1.7')],
    ['PostScript, or any text starting "%!"', bytes('%!PS-Adobe-3.0')],
    ['RTF', bytes('{\\rtf1\\ansi')],
    ['SQLite', bytes('SQLite format 3\0')],
    ['ar archive, deb', bytes('!<arch>\ndebian-binary')],
    ['rpm', bytes([0xed, 0xab, 0xee, 0xdb])],
    ['cab', bytes('MSCF')],
    ['compress (.Z)', bytes([0x1f, 0x9d])],
    ['lzip', bytes('LZIP')],
    ['swf', bytes('FWS')],
    ['crx', bytes('Cr24')],
    ['NES ROM', bytes([0x4e, 0x45, 0x53, 0x1a])],
    ['DICOM', bytes('', 600, [[128, 'DICM']])],
    ['ISO 9660', bytes('', 32774 + 10, [[32769, 'CD001']])],
    ['embedded OpenType', bytes('', 600, [[8, [0x02, 0x00, 0x01]], [34, 'LP']])],
    ['WebAssembly', bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])],
    ['dex', bytes('dex\n035\0', 600, [[36, [0x70]]])],
    ['TrueType font', bytes([0x00, 0x01, 0x00, 0x00, 0x00])],
    ['OpenType font', bytes('OTTO\0')],
    ['woff2', bytes([0x77, 0x4f, 0x46, 0x32, 0x00, 0x01, 0x00, 0x00])],
    ['old Office document (compound file, Word)', bytes([0xd0, 0xcf, 0x11, 0xe0], 600, [[512, [0xec, 0xa5]]])],
  ])('%s: not read', (_name, head) => {
    expect(applicationByContent(head)).toBe(true);
  });

  it.each([
    ['plain text', bytes('export TOKEN=abc\n')],
    ['text with NUL bytes', bytes([0x41, 0x00, 0x42, 0x00])],
    ['gettext catalogue', bytes([0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0])],
    ['Python bytecode', bytes([0x6f, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0])],
    ['PNG image', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['JPEG image', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['GIF image', bytes('GIF89a')],
    ['BMP image, or a text starting "BM"', bytes('BM hello')],
    ['icon', bytes([0x00, 0x00, 0x01, 0x00, 0x01])],
    ['WAV audio', bytes('RIFF\0\0\0\0WAVEfmt ')],
    ['MP3 audio', bytes('ID3\x04')],
    ['Ogg audio', bytes('OggS')],
    ['MPEG video', bytes([0x00, 0x00, 0x01, 0xba])],
    ['MP4 video', bytes('\0\0\0\x18ftypisom')],
    ['Matroska video', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x42, 0x82, 0x88], 600, [[7, 'matroska']])],
    // An image matcher comes before the archive ones: a JPEG that also looks like an embedded OpenType is read.
    ['JPEG that also fits the embedded OpenType test', bytes([0xff, 0xd8, 0xff], 600, [[8, [0x02, 0x00, 0x01]], [34, 'LP']])],
    // Signatures cut short.
    ['ELF header in under 53 bytes', bytes([0x7f, 0x45, 0x4c, 0x46], 52)],
    ['optimised dex header without the dex inside', bytes('dey\n036\0', 600)],
    ['WebP image', bytes('RIFF\0\0\0\0WEBPVP8 ')],
    ['compound file whose sector says neither Word, Excel nor PowerPoint', bytes([0xd0, 0xcf, 0x11, 0xe0], 600, [[512, [0x01, 0x02]]])],
    ['zstd skippable frame with nothing after it', bytes([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9], 10)],
    ['empty', Buffer.alloc(0)],
  ])('%s: read', (_name, head) => {
    expect(applicationByContent(head)).toBe(false);
  });

  it('looks only at what gitleaks reads first (the first 100,000 bytes)', () => {
    const iso = bytes('', 40_000, [[32769, 'CD001']]);
    expect(applicationByContent(iso)).toBe(true);
    const late = Buffer.alloc(GITLEAKS_HEAD_BYTES + 10, 0x20);
    late.write('matroska', 5, 'latin1');
    expect(applicationByContent(late)).toBe(false);
  });
});

describe('archiveByName (mholt/archives v0.1.5 by name, as gitleaks calls it)', () => {
  it.each([
    ['/app/backup.tar.gz', true],
    ['/app/site.ZIP', true],
    ['/srv/dump.sql.zst', true],
    ['/srv/data.lz4', true],
    ['/srv/logs.tar', true],
    // The base name contains an extension: mholt/archives matches it (a quirk gitleaks inherits).
    ['/etc/app/my.zipper.conf', true],
    ['/etc/app/theme.brand.json', true],
    // lzip and MinLZ: the extension must end the name.
    ['/srv/notes.lz', true],
    ['/srv/notes.lzx', false],
    ['/srv/cache.mz', true],
    ['/srv/cache.mzq', false],
    ['/app/.env', false],
    ['/app/settings.conf', false],
    // Only the base name counts.
    ['/var/archive.tar/config.yml', false],
  ])('%s: %s', (path, skipped) => {
    expect(archiveByName(path)).toBe(skipped);
  });
});
