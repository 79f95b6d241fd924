import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { nameVersions, packagesOf, readTrivyCases, runAnalyzer, trivyNameVersions } from '../testing.ts';
import { buildTestElf } from '../binary/build-test-elf.ts';
import { readGoBuildInfo } from './buildinfo.ts';
import { goModules, stdlibVersion } from './modinfo.ts';
import { goBinaryAnalyzer } from './analyzer.ts';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const MOD_INFO = [
  'path\texample.com/app/cmd/app',
  'mod\texample.com/app\t(devel)\t',
  'dep\tgithub.com/pkg/errors\tv0.9.1\th1:abc=',
  'dep\tgolang.org/x/sys\tv0.1.0\th1:def=',
  '=>\tgithub.com/fork/sys\tv0.1.1\th1:ghi=',
  'dep\texample.com/local\tv0.0.0-00010101000000-000000000000',
  '=>\t./local\t(devel)\t',
  'build\tGOOS=linux',
  'build\t-ldflags="-X main.token=abc"',
  '',
].join('\n');
const wrapped = Buffer.concat([SENTINEL_START, Buffer.from(MOD_INFO), SENTINEL_END]);

function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** Go 1.18+ layout: header, then uvarint-prefixed version and module info. */
function inlineHeader(version: string): Buffer {
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = 8;
  header[15] = 0x2;
  const v = Buffer.from(version);
  return Buffer.concat([header, uvarint(v.length), v, uvarint(wrapped.length), wrapped]);
}

/**
 * Pre-1.18 layout: header with two pointers to Go string headers elsewhere in memory, in the
 * target's word size and byte order (header flag bit 0 says big-endian).
 */
function pointerLayoutElf(version: string, opts: { bits?: 32 | 64; bigEndian?: boolean } = {}): Buffer {
  const size = (opts.bits ?? 64) / 8;
  const put = (buffer: Buffer, at: number, value: bigint) => {
    if (size === 4) opts.bigEndian ? buffer.writeUInt32BE(Number(value), at) : buffer.writeUInt32LE(Number(value), at);
    else opts.bigEndian ? buffer.writeBigUInt64BE(value, at) : buffer.writeBigUInt64LE(value, at);
  };
  const DATA = 0x500000n;
  const v = Buffer.from(version);
  const data = Buffer.alloc(64 + v.length + wrapped.length);
  // string headers at DATA+32 (version) and DATA+48 (modinfo); bytes from DATA+64.
  put(data, 32, DATA + 64n);
  put(data, 32 + size, BigInt(v.length));
  put(data, 48, DATA + 64n + BigInt(v.length));
  put(data, 48 + size, BigInt(wrapped.length));
  v.copy(data, 64);
  wrapped.copy(data, 64 + v.length);
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = size;
  header[15] = opts.bigEndian ? 0x1 : 0;
  put(header, 16, DATA + 32n);
  put(header, 16 + size, DATA + 48n);
  return buildTestElf(
    [
      { name: '.text', data: Buffer.alloc(128, 0x90), address: 0x400000n },
      { name: '.go.buildinfo', data: header, address: 0x4f0000n, writable: true },
      { name: '.data', data, address: DATA, writable: true },
    ],
    opts,
  );
}

const EXPECTED_MODULES = [
  'example.com/app@(devel)',
  'example.com/local@v0.0.0-00010101000000-000000000000',
  'github.com/fork/sys@v0.1.1',
  'github.com/pkg/errors@v0.9.1',
  'stdlib@v1.16.15',
];

describe('Go build info', () => {
  it('trivy fixture: a Go 1.22 binary with a GOEXPERIMENT (trivy: stdlib v1.22.1)', () => {
    const [testCase] = readTrivyCases(new URL('./testdata/expected.json', import.meta.url)).filter((c) => c.name === 'goexperiment');
    const info = readGoBuildInfo(readFileSync(new URL('./testdata/goexperiment', import.meta.url)));
    expect(info?.goVersion).toBe('go1.22.1 X:loopvar');
    expect(nameVersions(goModules(info!))).toEqual(trivyNameVersions(testCase!.packages!));
  });

  it.each([
    { bits: 64, bigEndian: false },
    { bits: 32, bigEndian: false },
    { bits: 64, bigEndian: true },
    { bits: 32, bigEndian: true },
  ] as const)('reads the pre-1.18 pointer layout in a $bits-bit ELF, big-endian: $bigEndian', (layout) => {
    const info = readGoBuildInfo(pointerLayoutElf('go1.16.15', layout));
    expect(info?.modInfo).toBe(MOD_INFO);
    expect(nameVersions(goModules(info!))).toEqual(EXPECTED_MODULES);
  });

  it('finds the header in the data segment when section headers are stripped', () => {
    const elf = buildTestElf(
      [
        { name: '.text', data: Buffer.alloc(64, 0x90), address: 0x400000n },
        { name: '.data', data: Buffer.concat([inlineHeader('go1.16.15'), Buffer.alloc(100)]), address: 0x600000n, writable: true },
      ],
      { withSectionHeaders: false },
    );
    expect(nameVersions(goModules(readGoBuildInfo(elf)!))).toEqual(EXPECTED_MODULES);
  });

  it('uses a module replacement as the package, and keeps what it replaced', () => {
    const modules = goModules({ goVersion: 'go1.16.15', modInfo: MOD_INFO });
    expect(modules.find((m) => m.name === 'github.com/fork/sys')).toMatchObject({
      purl: 'pkg:golang/github.com/fork/sys@v0.1.1',
      metadata: { replaces: 'golang.org/x/sys@v0.1.0' },
    });
    expect(modules.find((m) => m.name === 'example.com/local')?.metadata).toEqual({ replacedByDirectory: './local' });
    expect(modules.find((m) => m.name === 'example.com/app')).toMatchObject({ purl: 'pkg:golang/example.com/app', metadata: { main: true } });
    expect(modules.find((m) => m.name === 'stdlib')).toMatchObject({ purl: 'pkg:golang/stdlib@v1.16.15', metadata: { toolchain: 'go1.16.15' } });
    // Only platform-like settings are kept: -ldflags can carry values baked in at build time.
    expect(modules.find((m) => m.name === 'stdlib')?.metadata?.build).toEqual({ GOOS: 'linux' });
  });

  it.each([
    ['go1.19.8', 'v1.19.8'],
    ['go1.20', 'v1.20.0'],
    ['go1.21rc2', 'v1.21.0-rc.2'],
    ['go1.22.1 X:loopvar', 'v1.22.1'],
    ['devel +abc', undefined],
  ])('stdlib version of %s is %s', (go, expected) => {
    expect(stdlibVersion(go)).toBe(expected);
  });
});

describe('Go binary analyzer', () => {
  it('only considers executables, and leaves non-ELF content at once', async () => {
    const elf = pointerLayoutElf('go1.16.15');
    expect(await runAnalyzer(goBinaryAnalyzer, '/usr/bin/app', elf, 0o644)).toEqual([]);
    expect(await runAnalyzer(goBinaryAnalyzer, '/usr/bin/script', Buffer.from('#!/bin/sh\n'.repeat(10)), 0o755)).toEqual([]);
    const findings = await runAnalyzer(goBinaryAnalyzer, '/usr/bin/app', elf, 0o755);
    expect(packagesOf(findings).map((p) => [p.ecosystem, p.paths])).toContainEqual(['Go', ['/usr/bin/app']]);
  });

  it('returns nothing for truncated or corrupt binaries, without throwing', async () => {
    const elf = pointerLayoutElf('go1.16.15');
    for (let cut = 16; cut < elf.length; cut += 37) {
      await expect(runAnalyzer(goBinaryAnalyzer, '/usr/bin/app', elf.subarray(0, cut), 0o755)).resolves.toBeInstanceOf(Array);
    }
    const corrupt = Buffer.from(elf);
    corrupt.fill(0xff, 0x20, 0x40); // program/section header offsets far past the end
    expect(await runAnalyzer(goBinaryAnalyzer, '/usr/bin/app', corrupt, 0o755)).toEqual([]);
  });
});
