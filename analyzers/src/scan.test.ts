import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import type { Analyzer, Finding, LayerFile } from './analyzer.ts';
import { buildReport, scanImage } from './scan.ts';
import type { LayerResult } from './walker/layer-result.ts';
import { parseImageConfig } from './image/archive-metadata.ts';
import { dpkgAnalyzer } from './os-packages/dpkg/analyzer.ts';
import { osReleaseAnalyzer } from './os/analyzer.ts';
import { buildImageArchive, chunked, type ImageArchiveSpec, type LayerSpec } from './testing/image-archive.ts';
import { appendEntry, rewriteArchive } from './testing/rewrite-archive.ts';
import { createHash } from 'node:crypto';

const status = (pkgs: Array<[string, string]>) =>
  pkgs.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');
const osRelease = { path: '/etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' };
const dpkgStatus = (pkgs: Array<[string, string]>) => ({ path: '/var/lib/dpkg/status', content: status(pkgs) });

/** Records every file it is handed; reports files containing SECRET as sensitive findings. */
function probe(wanted: (path: string) => boolean): Analyzer & { seen: LayerFile[] } {
  const seen: LayerFile[] = [];
  return {
    name: 'test/probe',
    version: 1,
    category: 'sensitive',
    maxFileSize: 1024,
    seen,
    required: (path) => wanted(path),
    analyze(file): Finding[] {
      seen.push(file);
      if (!file.content.includes('SECRET')) return [];
      return [
        {
          kind: 'sensitive',
          path: file.path,
          finding: { ruleId: 'test', name: 'test secret', type: 'token', severity: 'high', path: file.path, line: 1, match: 'SEC***', recommendation: 'remove it' },
        },
      ];
    },
  };
}

const stream = (archive: Buffer, chunkSize = 777) => Readable.from(chunked(archive, chunkSize));
async function scan(spec: ImageArchiveSpec, analyzers: Analyzer[] = [osReleaseAnalyzer, dpkgAnalyzer]) {
  const { archive } = await buildImageArchive(spec);
  return scanImage(stream(archive), { analyzers });
}
const names = (report: Awaited<ReturnType<typeof scan>>) => report.packages.map((p) => `${p.name}=${p.version}`);

const twoLayers: LayerSpec[] = [
  { files: [osRelease, dpkgStatus([['base-files', '12.4'], ['libc6', '2.36-9']])], createdBy: 'FROM debian' },
  { files: [dpkgStatus([['base-files', '12.4'], ['libc6', '2.36-9+deb12u4'], ['curl', '7.88.1-10']])], createdBy: 'RUN apt-get install curl' },
];

describe('scanImage over every layout and compression', () => {
  for (const layout of ['legacy', 'oci'] as const) {
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      it(`${layout} layout, ${compression} layers`, async () => {
        const built = await buildImageArchive({ layout, compression, tags: ['shipshape-test/b-unit:1'], layers: twoLayers });
        const progress: number[] = [];
        const report = await scanImage(stream(built.archive), { analyzers: [osReleaseAnalyzer, dpkgAnalyzer], onProgress: (p) => progress.push(p.layersDone) });
        expect(report.image.id).toBe(built.imageId);
        expect(report.image.tags).toEqual(['shipshape-test/b-unit:1']);
        expect(report.image.os).toMatchObject({ family: 'debian', version: '12' });
        expect(report.image.layers.map((l) => l.diffId)).toEqual(built.diffIds);
        expect(report.image.layers.map((l) => l.createdBy)).toEqual(['FROM debian', 'RUN apt-get install curl']);
        expect(names(report)).toEqual(['base-files=12.4', 'curl=7.88.1-10', 'libc6=2.36-9+deb12u4']);
        const byName = Object.fromEntries(report.packages.map((p) => [p.name, p]));
        // Unchanged since the base layer: attributed to it; upgraded or new: to the upgrade.
        expect(byName['base-files']!.layer).toEqual({ diffId: built.diffIds[0], createdBy: 'FROM debian' });
        expect(byName['libc6']!.layer.createdBy).toBe('RUN apt-get install curl');
        expect(byName['curl']!.ecosystem).toBe('Debian:12');
        expect(byName['curl']!.purl).toBe('pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12');
        expect(progress.at(-1)).toBe(2);
      });
    }
  }

  it('reads OCI archives with only index.json, also when it nests a multi-platform index', async () => {
    const built = await buildImageArchive({ layout: 'oci', tags: ['shipshape-test/b-oci:1'], layers: twoLayers });
    let index: { manifests: Array<Record<string, unknown>> } | undefined;
    const ociOnly = await rewriteArchive(built.archive, (name, content) => {
      if (name === 'index.json') index = JSON.parse(content.toString());
      return name === 'manifest.json' ? null : undefined;
    });
    const report = await scanImage(stream(ociOnly), { analyzers: [osReleaseAnalyzer, dpkgAnalyzer] });
    expect(report.image.tags).toEqual(['shipshape-test/b-oci:1']);
    expect(names(report)).toEqual(['base-files=12.4', 'curl=7.88.1-10', 'libc6=2.36-9+deb12u4']);

    const { annotations: _dropped, ...descriptor } = index!.manifests[0]!;
    const image = { ...descriptor, platform: { os: 'linux', architecture: 'amd64' } };
    const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [image] }));
    const nestedDigest = createHash('sha256').update(nested).digest('hex');
    const top = { ...index!, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${nestedDigest}`, size: nested.length, annotations: { 'io.containerd.image.name': 'docker.io/library/nested:1' } }] };
    let withNested = await rewriteArchive(ociOnly, (name) => (name === 'index.json' ? Buffer.from(JSON.stringify(top)) : undefined));
    withNested = await appendEntry(withNested, `blobs/sha256/${nestedDigest}`, nested);
    const nestedReport = await scanImage(stream(withNested), { analyzers: [osReleaseAnalyzer, dpkgAnalyzer] });
    expect(nestedReport.image.tags).toEqual(['nested:1']);
    expect(nestedReport.packages).toEqual(report.packages);
  });

  it('follows a repeated layer written as a symlink to its first copy (older docker save)', async () => {
    const same: LayerSpec = { files: [{ path: '/etc/motd', content: 'hi' }], createdBy: 'COPY motd' };
    const built = await buildImageArchive({ layers: [...twoLayers, same, { files: [], createdBy: 'RUN true' }, same] });
    const [first, second] = [built.layerPaths[2]!, built.layerPaths[4]!];
    const linked = await rewriteArchive(built.archive, (name) => (name === second ? null : undefined), [{ name: second, linkname: `../${first}` }]);
    const report = await scanImage(stream(linked), { analyzers: [osReleaseAnalyzer, dpkgAnalyzer] });
    expect(report.image.layers.map((l) => l.diffId)).toEqual(built.diffIds);
    expect(names(report)).toEqual(['base-files=12.4', 'curl=7.88.1-10', 'libc6=2.36-9+deb12u4']);
  });

  it('reads archives whose metadata comes before the layers', async () => {
    for (const layout of ['legacy', 'oci'] as const) {
      const report = await scan({ layout, metadataFirst: true, layers: twoLayers });
      expect(names(report)).toEqual(['base-files=12.4', 'curl=7.88.1-10', 'libc6=2.36-9+deb12u4']);
    }
  });
});

describe('whiteouts and overrides', () => {
  it('a deleted package database reports nothing; a re-created one reports its own content', async () => {
    const deleted = await scan({ layers: [twoLayers[0]!, { files: [], whiteouts: ['/var/lib/dpkg/status'] }] });
    expect(deleted.packages).toEqual([]);
    const recreated = await scan({
      layers: [twoLayers[0]!, { files: [], whiteouts: ['/var/lib/dpkg/status'] }, { files: [dpkgStatus([['libc6', '2.36-9']])], createdBy: 'again' }],
    });
    expect(names(recreated)).toEqual(['libc6=2.36-9']);
    // The deletion broke the run of layers, so the package belongs to the layer that re-created it.
    expect(recreated.packages[0]!.layer.createdBy).toBe('again');
  });

  it('deleting a parent directory deletes what is below it', async () => {
    const report = await scan({ layers: [twoLayers[0]!, { files: [], whiteouts: ['/var/lib/dpkg'] }] });
    expect(report.packages).toEqual([]);
  });

  it('an opaque directory hides the lower content but keeps its own', async () => {
    const hidden = await scan({ layers: [twoLayers[0]!, { files: [{ path: '/var/lib/dpkg/other', content: 'x' }], opaqueDirs: ['/var/lib/dpkg'] }] });
    expect(hidden.packages).toEqual([]);
    const own = await scan({ layers: [twoLayers[0]!, { files: [dpkgStatus([['curl', '8']])], opaqueDirs: ['/var/lib/dpkg'] }] });
    expect(names(own)).toEqual(['curl=8']);
    const sibling = await scan({ layers: [twoLayers[0]!, { files: [], opaqueDirs: ['/var/lib/apt'] }] });
    expect(names(sibling)).toEqual(['base-files=12.4', 'libc6=2.36-9']);
  });

  it('secrets in files deleted later are kept, marked not in the final filesystem', async () => {
    const report = await scanImage(
      stream(
        (
          await buildImageArchive({
            layers: [
              { files: [{ path: '/app/.env', content: 'TOKEN=SECRET' }, { path: '/app/keep.env', content: 'SECRET' }] },
              { files: [], whiteouts: ['/app/.env'] },
            ],
          })
        ).archive,
      ),
      { analyzers: [probe((p) => p.startsWith('/app/'))] },
    );
    expect(report.sensitive?.map((s) => [s.path, s.inFinalFilesystem]).sort()).toEqual([
      ['/app/.env', false],
      ['/app/keep.env', true],
    ]);
  });
});

describe('entries', () => {
  it('hard links get their target content; symlinks are recorded, never followed out of the root', async () => {
    const p = probe((path) => path.startsWith('/data/'));
    const { archive } = await buildImageArchive({
      layers: [
        {
          files: [
            { path: '/data/target', content: 'hello' },
            { path: '/data/link', type: 'hardlink', linkTarget: '/data/target' },
            { path: '/data/escape', type: 'symlink', linkTarget: '../../../../etc/shadow' },
          ],
        },
      ],
    });
    await scanImage(stream(archive), { analyzers: [p] });
    const byPath = Object.fromEntries(p.seen.map((f) => [f.path, f]));
    expect(byPath['/data/link']!.content.toString()).toBe('hello');
    expect(byPath['/data/link']!.kind).toBe('hardlink');
    expect(byPath['/data/escape']).toMatchObject({ kind: 'symlink', linkTarget: '/etc/shadow' });
    expect(byPath['/data/escape']!.content.length).toBe(0);
  });

  it('a hard link to a large file gets that file content, after other large files were read', async () => {
    // Each content is looked at while its analyzer runs (as analyzers do): what it held then is recorded.
    const held = new Map<string, string>();
    const recorder: Analyzer = {
      name: 'test/recorder',
      version: 1,
      category: 'malware',
      maxFileSize: 1024 * 1024,
      required: (path) => path.startsWith('/big/'),
      analyze(file) {
        held.set(file.path, createHash('sha256').update(file.content).digest('hex'));
        return [];
      },
    };
    const a = Buffer.alloc(300 * 1024, 'a');
    const b = Buffer.alloc(400 * 1024, 'b');
    const { archive } = await buildImageArchive({
      layers: [
        {
          files: [
            { path: '/big/a', content: a },
            { path: '/big/b', content: b },
            { path: '/big/link-to-a', type: 'hardlink', linkTarget: '/big/a' },
          ],
        },
      ],
    });
    await scanImage(stream(archive), { analyzers: [recorder] });
    const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
    expect(Object.fromEntries(held)).toEqual({ '/big/a': sha(a), '/big/b': sha(b), '/big/link-to-a': sha(a) });
  });

  it('skips entries that climb above the root, with a note', async () => {
    const p = probe(() => true);
    const { archive } = await buildImageArchive({ layers: [{ files: [{ path: '../../escape.txt', content: 'x' }, { path: '/ok.txt', content: 'y' }] }] });
    const report = await scanImage(stream(archive), { analyzers: [p] });
    expect(p.seen.map((f) => f.path)).toEqual(['/ok.txt']);
    expect(report.notes.join('\n')).toMatch(/escape\.txt.*above the image root/);
  });

  it('reads PAX long names', async () => {
    const long = `/opt/${'very-long-directory-name/'.repeat(12)}file.txt`;
    const p = probe((path) => path.startsWith('/opt/'));
    const { archive } = await buildImageArchive({ layers: [{ files: [{ path: long, content: 'long' }] }] });
    await scanImage(stream(archive), { analyzers: [p] });
    expect(p.seen.map((f) => [f.path, f.content.toString()])).toEqual([[long, 'long']]);
  });

  it('does not read files above the size cap, and says so', async () => {
    const p = probe((path) => path.startsWith('/big/'));
    const { archive } = await buildImageArchive({ layers: [{ files: [{ path: '/big/file', content: Buffer.alloc(4096, 1) }] }] });
    const report = await scanImage(stream(archive), { analyzers: [p] });
    expect(p.seen).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/\/big\/file \(4096 bytes\) is above test\/probe's 1024-byte limit/);
  });
});

describe('bad archives fail with a clear error and no report', () => {
  it('a truncated archive names the layer and the offset', async () => {
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      const built = await buildImageArchive({ compression, layers: [{ files: [osRelease, { path: '/blob', content: Buffer.alloc(200_000, 7) }] }] });
      const cut = built.archive.subarray(0, Math.floor(built.archive.length / 2));
      const error = await scanImage(stream(cut), { analyzers: [osReleaseAnalyzer] }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message, compression).toMatch(new RegExp(`layer ${built.layerPaths[0]!.replace(/\//g, '\\/')}.*byte \\d+`));
    }
  });

  it('garbage inside a gzip layer names the layer', async () => {
    const built = await buildImageArchive({ compression: 'gzip', layers: [{ files: [{ path: '/x', content: Buffer.alloc(100_000, 3) }] }] });
    const tampered = await rewriteArchive(built.archive, (name, content) => {
      if (name !== built.layerPaths[0]) return undefined;
      const copy = Buffer.from(content);
      copy.fill(0x55, 20, 60);
      return copy;
    });
    await expect(scanImage(stream(tampered), { analyzers: [] })).rejects.toThrow(built.layerPaths[0]!);
  });

  it('a manifest naming a missing layer', async () => {
    const built = await buildImageArchive({ layers: twoLayers });
    const missing = await rewriteArchive(built.archive, (name) => (name === built.layerPaths[1] ? null : undefined));
    await expect(scanImage(stream(missing), { analyzers: [dpkgAnalyzer] })).rejects.toThrow(/layer 2 of 2 .* not in the archive/);
  });

  it('a layer whose content does not match its diff_id', async () => {
    const built = await buildImageArchive({ layers: twoLayers });
    let firstLayer: Buffer | undefined;
    await rewriteArchive(built.archive, (name, content) => {
      if (name === built.layerPaths[0]) firstLayer = content;
      return undefined;
    });
    const swapped = firstLayer!;
    const tampered = await rewriteArchive(built.archive, (name) => (name === built.layerPaths[1] ? swapped : undefined));
    await expect(scanImage(stream(tampered), { analyzers: [] })).rejects.toThrow(/does not match the config's diff_id/);
  });

  it('invalid config JSON, and no manifest at all', async () => {
    const built = await buildImageArchive({ layers: twoLayers });
    const badConfig = await rewriteArchive(built.archive, (name) => (name === `${built.imageId.slice(7)}.json` ? Buffer.from('{"rootfs": ') : undefined));
    await expect(scanImage(stream(badConfig), { analyzers: [] })).rejects.toThrow(/invalid JSON in image config/);
    const noManifest = await rewriteArchive(built.archive, (name) => (name === 'manifest.json' ? null : undefined));
    await expect(scanImage(stream(noManifest), { analyzers: [] })).rejects.toThrow(/no manifest\.json or index\.json/);
    await expect(scanImage(Readable.from([Buffer.from('not a tar at all'.repeat(64))]), { analyzers: [] })).rejects.toThrow(/image archive corrupt or truncated|no manifest/);
  });

  it('a size field tar-stream cannot decode (bad base-256 lead byte, negative) fails at once instead of waiting forever', async () => {
    /** The tar with `name`'s size field replaced and its checksum re-stamped. */
    const withSizeField = (tar: Buffer, name: string, field: number[]): Buffer => {
      const out = Buffer.from(tar);
      for (let at = 0; at + 512 <= out.length; at += 512) {
        if (out.toString('latin1', at, at + name.length + 1) !== `${name}\0`) continue;
        Buffer.from(field).copy(out, at + 124);
        out.fill(0x20, at + 148, at + 156);
        let sum = 0;
        for (let i = at; i < at + 512; i++) sum += out[i]!;
        out.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
        return out;
      }
      throw new Error(`no header for ${name}`);
    };
    const built = await buildImageArchive({ layers: twoLayers });
    const badLead = [0x81, ...Buffer.from('00000000315')];
    const negative = [0xff, ...Array<number>(10).fill(0xff), 0xfe]; // -1
    // tar-stream itself rejects the negative size (the next header is misaligned); the null one it would wait on.
    for (const [field, outer, inner] of [
      [badLead, /'manifest.json' has an unreadable size field/, /layer .*'etc\/os-release' has an unreadable size field/],
      [negative, /corrupt/, /layer .*corrupt/],
    ] as const) {
      await expect(scanImage(stream(withSizeField(built.archive, 'manifest.json', field)), { analyzers: [] })).rejects.toThrow(outer);
      const badLayer = await rewriteArchive(built.archive, (name, content) => (name === built.layerPaths[0] ? withSizeField(content, 'etc/os-release', field) : undefined));
      await expect(scanImage(stream(badLayer), { analyzers: [osReleaseAnalyzer] })).rejects.toThrow(inner);
    }
  });

  it('honours an AbortSignal', async () => {
    const built = await buildImageArchive({ layers: twoLayers });
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(scanImage(stream(built.archive), { analyzers: [], signal: controller.signal })).rejects.toThrow('stop now');
    const later = new AbortController();
    const analyzer = { ...dpkgAnalyzer, analyze: (file: LayerFile, ctx: Parameters<Analyzer['analyze']>[1]) => (later.abort(new Error('cancelled mid-scan')), dpkgAnalyzer.analyze(file, ctx)) };
    await expect(scanImage(stream(built.archive, 100), { analyzers: [analyzer], signal: later.signal })).rejects.toThrow('cancelled mid-scan');
  });
});

describe('per-layer results (the scan engine caches them by diffID)', () => {
  it('buildReport replays cached layer results into the same report, and cached layers are not walked', async () => {
    const built = await buildImageArchive({ layout: 'oci', tags: ['shipshape-test/b-cache:1'], layers: twoLayers });
    const cache = new Map<string, LayerResult>();
    const first = await scanImage(stream(built.archive), { analyzers: [osReleaseAnalyzer, dpkgAnalyzer], onLayerResult: (diffId, result) => void cache.set(diffId, JSON.parse(JSON.stringify(result))) });
    expect([...cache.keys()]).toEqual(built.diffIds);

    const config = parseImageConfig(Buffer.from(JSON.stringify(built.config)), 'config');
    const replayed = await buildReport(config, built.diffIds.map((diffId) => ({ diffId, result: cache.get(diffId)! })), { imageId: built.imageId, tags: ['shipshape-test/b-cache:1'] });
    expect(replayed).toEqual(first);

    let walked = 0;
    const counting = { ...dpkgAnalyzer, analyze: (file: LayerFile, ctx: Parameters<Analyzer['analyze']>[1]) => (walked++, dpkgAnalyzer.analyze(file, ctx)) };
    const fresh: string[] = [];
    const second = await scanImage(stream(built.archive), {
      analyzers: [osReleaseAnalyzer, counting],
      cachedLayer: (diffId) => cache.get(diffId),
      onLayerResult: (diffId) => void fresh.push(diffId),
    });
    expect(walked).toBe(0);
    expect(fresh).toEqual([]);
    expect(second).toEqual(first);
  });
});
