import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../registry.ts';
import { buildLayerTar, type LayerSpec } from '../testing/image-archive.ts';
import { mixedLayer } from '../testing/mixed-layer.ts';
import { combineShards } from '../walker/shards.ts';
import { walkLayer } from '../walker/walk-layer.ts';
import type { LayerSource } from './layer-source.ts';
import { tarFileLayerSource } from './tar-file-layer-source.ts';
import { tarLayerSource } from './tar-layer-source.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const work = mkdtempSync(join(tmpdir(), 'tar-file-source-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
/** Runs `use` with the tar in a file, opened (as the export's layer file is). */
function withFile<T>(tar: Buffer, use: (fd: number) => Promise<T>): Promise<T> {
  const path = join(work, `layer-${files++}.tar`);
  writeFileSync(path, tar);
  const fd = openSync(path, 'r');
  return use(fd).finally(() => closeSync(fd));
}

/** What a walk sees of a source: every entry, and every content read whole (a hard link's through readLinkTarget where the source has it). */
async function seen(source: LayerSource, maxBytes = Number.MAX_SAFE_INTEGER): Promise<string[]> {
  const out: string[] = [];
  for await (const e of source.entries()) {
    const content = e.kind === 'hardlink' ? await e.readLinkTarget?.(maxBytes) : await e.read(maxBytes);
    out.push(`${e.kind} ${JSON.stringify(e.name)} size=${e.size} mode=${e.mode.toString(8)} link=${JSON.stringify(e.linkname ?? null)} content=${content ? `${content.length}:${sha(content)}` : '-'}`);
  }
  return out;
}

/** The entries tar-stream gives (tarLayerSource), a hard link's content taken from its target's as the walker keeps it. */
async function seenByTarStream(tar: Buffer, maxBytes = Number.MAX_SAFE_INTEGER): Promise<string[]> {
  const out: string[] = [];
  const contents = new Map<string, Buffer>();
  const key = (name: string) => name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  for await (const e of tarLayerSource(Readable.from([tar]), 'layer', () => '').entries()) {
    let content: Buffer | undefined;
    if (e.kind === 'hardlink') content = contents.get(key(e.linkname ?? ''));
    else {
      content = Buffer.from(await e.read(maxBytes));
      if (e.kind === 'file') contents.set(key(e.name), content);
    }
    out.push(`${e.kind} ${JSON.stringify(e.name)} size=${e.size} mode=${e.mode.toString(8)} link=${JSON.stringify(e.linkname ?? null)} content=${content ? `${content.length}:${sha(content)}` : '-'}`);
  }
  return out;
}

async function sameAsTarStream(tar: Buffer, maxBytes?: number): Promise<string[]> {
  const expected = await seenByTarStream(tar, maxBytes);
  const actual = await withFile(tar, (fd) => seen(tarFileLayerSource(fd, 'layer'), maxBytes));
  expect(actual).toEqual(expected);
  return actual;
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_v, i) => (i * 31 + seed) & 0xff));

/** A folder of files of every shape, packed by GNU tar in `format`. */
function gnuTar(format: 'gnu' | 'posix' | 'ustar' | 'v7' | 'oldgnu'): Buffer {
  const root = join(work, `tree-${format}`);
  const deep = join(root, 'd'.repeat(60), 'e'.repeat(60), 'f'.repeat(30));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(root, 'small.txt'), 'hello\n');
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'block'), bytes(512, 1));
  writeFileSync(join(root, 'big.bin'), bytes(300 * 1024, 2));
  writeFileSync(join(deep, 'long-named-file-in-a-deep-folder.txt'), 'deep\n');
  writeFileSync(join(root, 'ünïcödé-😀.txt'), 'unicode\n');
  symlinkSync('small.txt', join(root, 'link-to-small'));
  linkSync(join(root, 'big.bin'), join(root, 'hard-to-big'));
  linkSync(join(deep, 'long-named-file-in-a-deep-folder.txt'), join(root, 'hard-to-deep'));
  writeFileSync(join(root, '.wh.deleted'), '');
  mkdirSync(join(root, 'opaque'));
  writeFileSync(join(root, 'opaque', '.wh..wh..opq'), '');
  const args = ['-c', '-f', '-', `--format=${format}`, '--sort=name', '-C', root, '.'];
  if (format === 'posix') args.splice(3, 0, '--pax-option=globexthdr.name=%d/GlobalHead.%n,mtime:=0');
  return execFileSync('tar', args, { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('tarFileLayerSource (a layer tar read by position) reads what tar-stream reads', () => {
  it('tars tar-stream writes: sizes around the block and the window, long names (PAX), links, whiteouts, capped reads', async () => {
    const tar = await buildLayerTar({
      files: [
        { path: '/etc/one', content: 'x' },
        { path: '/etc/block', content: bytes(512, 3) },
        { path: '/etc/block-and-one', content: bytes(513, 4) },
        { path: '/usr/lib/window', content: bytes(128 * 1024, 5) },
        { path: '/usr/lib/over-window', content: bytes(128 * 1024 + 1, 6) },
        { path: '/usr/lib/large', content: bytes(9 * 1024 * 1024, 7) },
        { path: `/opt/${'n'.repeat(120)}/${'m'.repeat(150)}`, content: 'long name' },
        { path: '/bin/sh', type: 'symlink', linkTarget: `/usr/${'l'.repeat(140)}` },
        { path: '/bin/hard', type: 'hardlink', linkTarget: '/usr/lib/over-window' },
        { path: '/bin/hard-long', type: 'hardlink', linkTarget: `/opt/${'n'.repeat(120)}/${'m'.repeat(150)}` },
        { path: '/var/empty', content: '' },
      ],
      whiteouts: ['/etc/gone'],
      opaqueDirs: ['/srv'],
    });
    const entries = await sameAsTarStream(tar);
    expect(entries.length).toBeGreaterThan(15);
    expect(entries.filter((e) => e.startsWith('hardlink') && !e.endsWith('content=-'))).toHaveLength(2);
    await sameAsTarStream(tar, 1000);
  });

  it.each(['gnu', 'oldgnu', 'posix', 'ustar', 'v7'] as const)('tars GNU tar writes in the %s format', async (format) => {
    let tar: Buffer;
    try {
      tar = gnuTar(format);
    } catch {
      // ustar and v7 cannot hold the deep name: GNU tar refuses; the others must work.
      expect(['ustar', 'v7']).toContain(format);
      return;
    }
    const entries = await sameAsTarStream(tar);
    expect(entries.some((e) => e.includes('long-named-file-in-a-deep-folder.txt'))).toBe(true);
    expect(entries.filter((e) => e.startsWith('hardlink') && !e.endsWith('content=-')).length).toBe(2);
  });

  it('a hard link reads its target from where it lies, whatever was read before', async () => {
    const tar = await buildLayerTar({ files: [{ path: '/a/target', content: bytes(200 * 1024, 9) }, { path: '/b/filler', content: bytes(300 * 1024, 10) }, { path: '/c/link', type: 'hardlink', linkTarget: '/a/target' }] });
    await withFile(tar, async (fd) => {
      for await (const e of tarFileLayerSource(fd, 'layer').entries()) {
        // Nothing read before the link: the source still has its target.
        if (e.kind === 'hardlink') expect(sha(await e.readLinkTarget!(Number.MAX_SAFE_INTEGER))).toBe(sha(bytes(200 * 1024, 9)));
      }
    });
  });

  it('a damaged tar fails as tar-stream fails it: truncated, a bad checksum, a huge long name, trailing bytes', async () => {
    const good = await buildLayerTar({ files: [{ path: '/a', content: bytes(5000, 1) }, { path: '/b', content: 'b' }] });
    const broken: Array<[string, Buffer]> = [
      ['truncated in a content', good.subarray(0, 1024 + 2000)],
      ['truncated in a header', good.subarray(0, 512 + 5120 + 100)],
      ["truncated in a content's padding", good.subarray(0, 512 + 5120 + 512 + 100)],
      ['a bad checksum', Buffer.concat([good.subarray(0, 148), Buffer.from('0000001\0'), good.subarray(156)])],
      ['trailing bytes', Buffer.concat([good, Buffer.alloc(100, 1)])],
    ];
    const huge = Buffer.alloc(512);
    huge.write('././@LongLink', 0);
    huge.write('0000644\0', 100);
    huge.write('00000000000\0', 108);
    huge.write(`${(8 * 1024 * 1024).toString(8).padStart(11, '0')}\0`, 124);
    huge[156] = 'L'.charCodeAt(0);
    huge.write('ustar  \0', 257);
    huge.write('        ', 148);
    let sum = 0;
    for (const b of huge) sum += b;
    huge.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    broken.push(['a long name of 8 MB', Buffer.concat([huge, Buffer.alloc(8 * 1024 * 1024 + 1024)])]);
    for (const [what, tar] of broken) {
      await expect(seenByTarStream(tar), `tar-stream: ${what}`).rejects.toThrow();
      await expect(withFile(tar, (fd) => seen(tarFileLayerSource(fd, 'sha256:abc'))), what).rejects.toThrow(/layer sha256:abc: corrupt or truncated layer data at byte \d+/);
    }
  });

  it('an all-zero tail (the end marker, and more) is skipped, as tar-stream skips it', async () => {
    const tar = await buildLayerTar({ files: [{ path: '/a', content: 'a' }] });
    await sameAsTarStream(Buffer.concat([tar, Buffer.alloc(10 * 512)]));
  });

  it('a folder of this repository, packed by GNU tar (hundreds of files of every size)', async () => {
    const folder = fileURLToPath(new URL('../sensitive', import.meta.url));
    const tar = execFileSync('tar', ['-c', '-f', '-', '--format=posix', '--sort=name', '-C', folder, '.'], { maxBuffer: 256 << 20 });
    const entries = await sameAsTarStream(tar);
    expect(entries.length).toBeGreaterThan(50);
  });
});

describe('a layer file walked in shards (a large exported layer shared by several workers)', () => {
  // Hard links across shards: dpkg's status (read by the dpkg analyzer) and a second name of a large file.
  const spec: LayerSpec = {
    ...mixedLayer,
    files: [...mixedLayer.files, { path: '/zz/big.bin', content: bytes(400 * 1024, 11) }, { path: '/zz/big-again', type: 'hardlink', linkTarget: '/zz/big.bin' }],
  };
  const analyzers = defaultAnalyzers();
  const ref = { diffId: 'sha256:test', createdBy: null, index: 0 };

  it('in one, two or four shards, combined, gives what one walk of the tar stream gives (hard links across shards analysed)', async () => {
    const tar = await buildLayerTar(spec);
    const whole = await walkLayer(tarLayerSource(Readable.from([tar]), 'tar', () => ''), { analyzers, layer: ref });
    expect(whole.findings.map((f) => `${f.kind} ${f.path}`)).toEqual(expect.arrayContaining(['package /var/lib/dpkg/status', 'malware /tmp/eicar.com', 'sensitive /app/.env']));
    await withFile(tar, async (fd) => {
      for (const count of [1, 2, 4]) {
        const shards = await Promise.all(Array.from({ length: count }, (_, index) => walkLayer(tarFileLayerSource(fd, 'file'), { analyzers, layer: ref, shard: { index, count }, hardlinkCacheBytes: 0 })));
        expect(combineShards(shards), `${count} shards`).toEqual(whole);
      }
    });
  });

  it('a source that cannot read a link target again (a tar stream) deals each hard link to the shard of its target', async () => {
    const tar = await buildLayerTar(spec);
    const whole = await walkLayer(tarLayerSource(Readable.from([tar]), 'tar', () => ''), { analyzers, layer: ref });
    const shards = await Promise.all([0, 1, 2, 3].map((index) => walkLayer(tarLayerSource(Readable.from([tar]), 'tar', () => ''), { analyzers, layer: ref, shard: { index, count: 4 } })));
    expect(combineShards(shards)).toEqual(whole);
  });
});
