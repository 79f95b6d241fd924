/**
 * Hostile and broken image archives for the issue-8 suites, built offline in memory: names
 * that climb out of the root, symlink loops, a hard link to nothing, gzip and zip bombs, a
 * million tiny files, a 64 GiB sparse entry, lying size headers, truncated archives, missing
 * layers, invalid config JSON, non-UTF-8 names. Each takes an optional tag so the same archive
 * can be fed to the scanner or loaded into the daemon.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { buildImageArchive, buildLayerTar } from '../../analyzers/src/testing/image-archive.ts';
import { rewriteArchive } from '../../analyzers/src/testing/rewrite-archive.ts';
import { makeZip } from '../../analyzers/src/lang/java/make-zip.ts';

export const MB = 1024 * 1024;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
export const osRelease = { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n' };

/** The `../` and symlink-loop images, for the real daemon. */
export const climbingImage = (marker: string, tag: string) =>
  buildImageArchive({ tags: [tag], layers: [{ files: [osRelease, { path: `../../../../tmp/${marker}`, content: 'escaped' }, { path: `/ok-${marker}`, content: 'ok' }] }] });
export const loopImage = (marker: string, tag: string) =>
  buildImageArchive({
    tags: [tag],
    layers: [
      {
        files: [
          osRelease,
          { path: '/loop/a', type: 'symlink', linkTarget: 'b' },
          { path: '/loop/b', type: 'symlink', linkTarget: 'a' },
          { path: '/loop/self', type: 'symlink', linkTarget: 'self' },
          { path: '/etc/passwd-host', type: 'symlink', linkTarget: '../../../../../etc/passwd' },
          { path: '/usr/lib/node_modules/x/package.json', type: 'symlink', linkTarget: '/usr/lib/node_modules/x/package.json' },
          { path: '/app/app.jar', type: 'symlink', linkTarget: '/../../../../root/.ssh/id_rsa' },
          { path: `/ok-${marker}`, content: 'ok' },
        ],
      },
    ],
  });

/** A legacy `docker save` archive around ready-made layer blobs (for layers too big to build via specs). */
async function archiveOfBlobs(layers: Array<{ blob: Buffer; diffId: string }>, tag = 'shipshape-test/hostile:latest'): Promise<Buffer> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    }),
  );
  const configName = `${sha256(config)}.json`;
  const pack = tar.pack();
  const out: Buffer[] = [];
  pack.on('data', (chunk: unknown) => out.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  const layerPaths = layers.map((l, i) => {
    const path = `${sha256(`${i}${l.diffId}`)}/layer.tar`;
    pack.entry({ name: path, size: l.blob.length }, l.blob);
    return path;
  });
  pack.entry({ name: configName, size: config.length }, config);
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layerPaths }]));
  pack.entry({ name: 'manifest.json', size: manifest.length }, manifest);
  pack.finalize();
  await done;
  return Buffer.concat(out);
}

/** A gzip layer streamed from `fill` (never held uncompressed), with its diffID. */
async function gzipLayer(fill: (pack: tar.Pack) => Promise<void>): Promise<{ blob: Buffer; diffId: string }> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  const out: Buffer[] = [];
  const filling = fill(pack).then(() => pack.finalize());
  await pipeline(
    pack,
    new Transform({ transform: (chunk: Buffer, _e, cb) => (hash.update(chunk), cb(null, chunk)) }),
    createGzip({ level: 9 }),
    new Transform({ transform: (chunk: Buffer, _e, cb) => (out.push(chunk), cb()) }),
  );
  await filling;
  return { blob: Buffer.concat(out), diffId: `sha256:${hash.digest('hex')}` };
}

/** A gzip layer from raw tar bytes, with its diffID. */
async function gzipTarOf(tarBytes: () => Generator<Buffer>): Promise<{ blob: Buffer; diffId: string }> {
  const hash = createHash('sha256');
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(tarBytes()),
    new Transform({ transform: (chunk: Buffer, _e, cb) => (hash.update(chunk), cb(null, chunk)) }),
    createGzip({ level: 1 }),
    new Transform({ transform: (chunk: Buffer, _e, cb) => (out.push(chunk), cb()) }),
  );
  return { blob: Buffer.concat(out), diffId: `sha256:${hash.digest('hex')}` };
}

/** A plain ustar header for a regular file. */
function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('14543563200\0', 136);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  patchHeader(header, 0, []);
  return header;
}

/** Writes a file of `size` zero bytes into the pack in 1 MiB pieces, honouring backpressure. */
async function zeroFile(pack: tar.Pack, name: string, size: number): Promise<void> {
  const zeros = Buffer.alloc(MB);
  const entry = pack.entry({ name, size, mode: 0o644 });
  for (let left = size; left > 0; left -= MB) {
    if (!entry.write(left >= MB ? zeros : zeros.subarray(0, left))) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => {
    entry.once('finish', () => resolve());
    entry.end(() => undefined);
  });
}

/** Overwrites bytes of a tar header (at `offset` in `tarBuf`) and fixes its checksum. */
function patchHeader(tarBuf: Buffer, headerOffset: number, patches: Array<[number, Buffer]>): void {
  for (const [at, bytes] of patches) bytes.copy(tarBuf, headerOffset + at);
  tarBuf.fill(0x20, headerOffset + 148, headerOffset + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tarBuf[headerOffset + i]!;
  Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `).copy(tarBuf, headerOffset + 148);
}

/** Offset of the tar header whose name starts with `name`. */
function headerOffsetOf(tarBuf: Buffer, name: string): number {
  for (let off = 0; off + 512 <= tarBuf.length; off += 512) if (tarBuf.subarray(off, off + name.length).toString('latin1') === name) return off;
  throw new Error(`no header ${name}`);
}

/** Builds an image from a raw (already patched) layer tar. */
async function imageOfLayerTar(layerTar: Buffer, tag?: string): Promise<Buffer> {
  return archiveOfBlobs([{ blob: layerTar, diffId: `sha256:${sha256(layerTar)}` }], tag);
}

/** The hostile images both suites use: in-process archives, and images loaded into the daemon. */
export const hardLinkImage = async (tag?: string) =>
  (await buildImageArchive({ ...(tag ? { tags: [tag] } : {}), layers: [{ files: [osRelease, { path: '/usr/lib/app.jar', type: 'hardlink', linkTarget: '/does/not/exist.jar' }] }] })).archive;

export async function zipBombJarImage(tag?: string): Promise<{ archive: Buffer; jarBytes: number }> {
  const inner = await makeZip([{ name: 'META-INF/maven/evil/bomb/pom.properties', content: Buffer.alloc(64 * MB) }]);
  const jar = await makeZip([{ name: 'BOOT-INF/lib/bomb.jar', content: inner, compress: false }, { name: 'zeros.bin', content: Buffer.alloc(64 * MB) }]);
  const { archive } = await buildImageArchive({ ...(tag ? { tags: [tag] } : {}), layers: [{ files: [osRelease, { path: '/app/app.jar', content: jar }] }] });
  return { archive, jarBytes: jar.length };
}

/** One gzip layer of zero-filled files (`sizes` in MiB): a few hundred KiB that inflate to GiBs. */
export async function gzipBombImage(files: Array<[string, number]>, tag?: string): Promise<{ archive: Buffer; compressed: number }> {
  const bomb = await gzipLayer(async (pack) => {
    for (const [name, mib] of files) await zeroFile(pack, name, mib * MB);
  });
  return { archive: await archiveOfBlobs([bomb], tag), compressed: bomb.blob.length };
}

/** `count` one-byte files in one gzip layer (a multiple of 1,000). */
export async function tinyFilesImage(count: number, tag?: string): Promise<{ archive: Buffer; compressed: number }> {
  const layer = await gzipTarOf(function* () {
    // tar-stream's per-entry pack takes ~90 s per 200,000 entries here: headers are written directly.
    for (let batch = 0; batch < count / 1000; batch++) {
      const blocks = Buffer.alloc(1000 * 1024);
      for (let j = 0; j < 1000; j++) {
        const i = batch * 1000 + j;
        ustarHeader(`data/d${i % 500}/f${i}.txt`, 1).copy(blocks, j * 1024);
        blocks[j * 1024 + 512] = 0x78;
      }
      yield blocks;
    }
    yield Buffer.alloc(1024);
  });
  return { archive: await archiveOfBlobs([layer], tag), compressed: layer.blob.length };
}

export async function nonUtf8Image(tag?: string): Promise<Buffer> {
  const layerTar = await buildLayerTar({ files: [osRelease, { path: '/usr/share/XXname.txt', content: 'latin1' }, { path: '/app/XX/package.json', content: '{"name":"x","version":"1.0.0"}' }] });
  for (const name of ['usr/share/XXname.txt', 'app/XX/package.json']) {
    const at = headerOffsetOf(layerTar, name);
    patchHeader(layerTar, at, [[name.indexOf('XX'), Buffer.from([0xff, 0xe9])]]);
  }
  return imageOfLayerTar(layerTar, tag);
}

/** GNU sparse entry (typeflag 'S') claiming 64 GiB with no data blocks. */
export async function sparseImage(tag?: string): Promise<Buffer> {
  const layerTar = await buildLayerTar({ files: [osRelease, { path: '/opt/huge.jar', content: '' }] });
  const at = headerOffsetOf(layerTar, 'opt/huge.jar');
  // realsize at offset 483, 12 bytes octal.
  patchHeader(layerTar, at, [
    [156, Buffer.from('S')],
    [257, Buffer.from('ustar  \0')],
    [483, Buffer.from(`${(64 * 1024 * MB).toString(8).padStart(11, '0')}\0`)],
  ]);
  return imageOfLayerTar(layerTar, tag);
}

/** A tar header claiming 8 GiB with 3 bytes of data behind it. */
export async function sizeLieImage(tag?: string): Promise<Buffer> {
  const layerTar = await buildLayerTar({ files: [osRelease, { path: '/opt/claims-huge.bin', content: 'abc' }] });
  const at = headerOffsetOf(layerTar, 'opt/claims-huge.bin');
  patchHeader(layerTar, at, [[124, Buffer.from(`${(8 * 1024 * MB).toString(8).padStart(11, '0')}\0`)]]);
  return imageOfLayerTar(layerTar, tag);
}

export async function truncatedImage(tag?: string): Promise<Buffer> {
  const { archive } = await buildImageArchive({ ...(tag ? { tags: [tag] } : {}), layers: [{ files: [osRelease, { path: '/a.bin', content: Buffer.alloc(200_000, 7) }] }], metadataFirst: true });
  return archive.subarray(0, Math.floor(archive.length * 0.7));
}

export async function missingLayerImage(tag?: string): Promise<Buffer> {
  const built = await buildImageArchive({ ...(tag ? { tags: [tag] } : {}), layers: [{ files: [osRelease] }, { files: [{ path: '/b', content: 'b' }] }] });
  return rewriteArchive(built.archive, (name) => (name === built.layerPaths[1] ? null : undefined));
}

export async function invalidConfigImage(tag?: string): Promise<Buffer> {
  const built = await buildImageArchive({ ...(tag ? { tags: [tag] } : {}), layers: [{ files: [osRelease] }] });
  return rewriteArchive(built.archive, (name) => (name === `${built.imageId.slice(7)}.json` ? Buffer.from('{"architecture": "amd64", "rootfs": ') : undefined));
}
