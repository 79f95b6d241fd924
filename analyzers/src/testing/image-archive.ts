/**
 * Test helper: writes a `docker save`-format archive from a small description, so unit
 * and integration tests can build exactly the image they need (whiteouts, hard links,
 * long names, OCI or legacy layout, gzip or zstd layers) and `docker load` accepts it.
 *
 * Like a real `docker save` stream, layer blobs come first and the JSON metadata
 * (config, manifest.json, index.json) last, unless `metadataFirst` is set.
 * Layers are built in memory: this is for small test images only.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface ImageFileSpec {
  /** Path inside the image, e.g. `/etc/os-release`. Written as given (minus a leading `/`), so tests can use `..`. */
  path: string;
  content?: string | Buffer;
  mode?: number;
  type?: 'file' | 'symlink' | 'hardlink' | 'dir';
  /** Symlink target (as written) or hard-link target (image path). */
  linkTarget?: string;
}

export interface LayerSpec {
  files: ImageFileSpec[];
  /** Paths deleted from lower layers (`.wh.<name>` entries). */
  whiteouts?: string[];
  /** Directories whose lower-layer content is hidden (`.wh..wh..opq` entries). */
  opaqueDirs?: string[];
  createdBy?: string;
}

export interface DockerConfigSpec {
  Env?: string[];
  Labels?: Record<string, string>;
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  architecture?: string;
  os?: string;
  /** Extra history entries appended after the layers' own (e.g. `ENV` steps with `empty_layer`). */
  history?: Array<{ created_by?: string; empty_layer?: boolean; created?: string; comment?: string }>;
}

export type ArchiveLayout = 'legacy' | 'oci';
export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface ImageArchiveSpec {
  layers: LayerSpec[];
  config?: DockerConfigSpec;
  tags?: string[];
  layout?: ArchiveLayout;
  compression?: LayerCompression;
  /** Write config/manifest/index before the layers (real `docker save` writes them after). */
  metadataFirst?: boolean;
}

export interface BuiltImageArchive {
  archive: Buffer;
  /** sha256 of the config JSON, `sha256:<hex>` (what `docker images --no-trunc` shows). */
  imageId: string;
  diffIds: string[];
  /** Path of each layer's blob inside the archive, in layer order. */
  layerPaths: string[];
  config: Record<string, unknown>;
}

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function splitPath(path: string): { dir: string; base: string } {
  const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const slash = clean.lastIndexOf('/');
  return slash < 0 ? { dir: '', base: clean } : { dir: clean.slice(0, slash), base: clean.slice(slash + 1) };
}

function parentDirs(path: string): string[] {
  const parts = path.replace(/^\/+/, '').split('/').slice(0, -1);
  const dirs: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (dir && dir !== '.' && !dir.split('/').includes('..')) dirs.push(dir);
  }
  return dirs;
}

async function packToBuffer(fill: (pack: tar.Pack) => void): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  fill(pack);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Builds one layer's uncompressed tar. Parent directories are added automatically. */
export async function buildLayerTar(layer: LayerSpec): Promise<Buffer> {
  return packToBuffer((pack) => {
    const written = new Set<string>();
    const ensureDirs = (path: string) => {
      for (const dir of parentDirs(path)) {
        if (written.has(dir)) continue;
        written.add(dir);
        pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime: FIXED_MTIME });
      }
    };
    for (const dir of layer.opaqueDirs ?? []) {
      const clean = dir.replace(/^\/+/, '').replace(/\/+$/, '');
      ensureDirs(`${clean}/x`);
      pack.entry({ name: `${clean}/.wh..wh..opq`, mode: 0o644, mtime: FIXED_MTIME }, Buffer.alloc(0));
    }
    for (const path of layer.whiteouts ?? []) {
      const { dir, base } = splitPath(path);
      ensureDirs(`${dir ? `${dir}/` : ''}x`);
      pack.entry({ name: `${dir ? `${dir}/` : ''}.wh.${base}`, mode: 0o644, mtime: FIXED_MTIME }, Buffer.alloc(0));
    }
    for (const file of layer.files) {
      const name = file.path.replace(/^\/+/, '');
      ensureDirs(name);
      const type = file.type ?? 'file';
      if (type === 'dir') {
        const dirName = name.replace(/\/+$/, '');
        if (!written.has(dirName)) {
          written.add(dirName);
          pack.entry({ name: `${dirName}/`, type: 'directory', mode: file.mode ?? 0o755, mtime: FIXED_MTIME });
        }
      } else if (type === 'symlink') {
        pack.entry({ name, type: 'symlink', linkname: file.linkTarget ?? '', mode: 0o777, mtime: FIXED_MTIME });
      } else if (type === 'hardlink') {
        pack.entry({ name, type: 'link', linkname: (file.linkTarget ?? '').replace(/^\/+/, ''), mode: file.mode ?? 0o644, mtime: FIXED_MTIME });
      } else {
        const content = typeof file.content === 'string' ? Buffer.from(file.content) : (file.content ?? Buffer.alloc(0));
        pack.entry({ name, type: 'file', mode: file.mode ?? 0o644, mtime: FIXED_MTIME, size: content.length }, content);
      }
    }
  });
}

function compress(data: Buffer, compression: LayerCompression): Buffer {
  if (compression === 'gzip') return gzipSync(data);
  if (compression === 'zstd') {
    // Node 20 has no zstd encoder; the Debian `zstd` binary is a test-only dependency.
    const result = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`zstd failed (is the 'zstd' package installed?): ${result.stderr?.toString() ?? result.error}`);
    return result.stdout;
  }
  return data;
}

const layerMediaType: Record<LayerCompression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/** Builds the whole archive in memory. */
export async function buildImageArchive(spec: ImageArchiveSpec): Promise<BuiltImageArchive> {
  const layout = spec.layout ?? 'legacy';
  const compression = spec.compression ?? 'none';
  const tags = spec.tags ?? [];
  const built = await Promise.all(
    spec.layers.map(async (layer) => {
      const raw = await buildLayerTar(layer);
      const blob = compress(raw, compression);
      return { diffId: `sha256:${sha256(raw)}`, blob, blobDigest: sha256(blob) };
    }),
  );
  const { history: extraHistory, architecture, os, ...runConfig } = spec.config ?? {};
  const history = [
    ...spec.layers.map((layer, i) => ({ created: FIXED_MTIME.toISOString(), created_by: layer.createdBy ?? `layer ${i}` })),
    ...(extraHistory ?? []).map((h) => ({ created: FIXED_MTIME.toISOString(), ...h, empty_layer: h.empty_layer ?? true })),
  ];
  const config = {
    architecture: architecture ?? 'amd64',
    os: os ?? 'linux',
    created: FIXED_MTIME.toISOString(),
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...runConfig },
    rootfs: { type: 'layers', diff_ids: built.map((l) => l.diffId) },
    history,
  };
  const configJson = Buffer.from(JSON.stringify(config));
  const configHex = sha256(configJson);

  type Entry = { name: string; content: Buffer } | { name: string; symlink: string };
  const layerEntries: Entry[] = [];
  const metaEntries: Entry[] = [];
  const layerPaths: string[] = [];

  if (layout === 'legacy') {
    let parent = '';
    for (const layer of built) {
      const id = sha256(`${parent}\n${layer.diffId}`);
      layerEntries.push({ name: `${id}/VERSION`, content: Buffer.from('1.0') });
      layerEntries.push({ name: `${id}/json`, content: Buffer.from(JSON.stringify({ id, ...(parent ? { parent } : {}), created: FIXED_MTIME.toISOString() })) });
      layerEntries.push({ name: `${id}/layer.tar`, content: layer.blob });
      layerPaths.push(`${id}/layer.tar`);
      parent = id;
    }
    metaEntries.push({ name: `${configHex}.json`, content: configJson });
    metaEntries.push({ name: 'manifest.json', content: Buffer.from(JSON.stringify([{ Config: `${configHex}.json`, RepoTags: tags, Layers: layerPaths }])) });
    const repositories: Record<string, Record<string, string>> = {};
    for (const tag of tags) {
      const colon = tag.lastIndexOf(':');
      (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = parent;
    }
    if (tags.length > 0) metaEntries.push({ name: 'repositories', content: Buffer.from(JSON.stringify(repositories)) });
  } else {
    const seen = new Set<string>();
    for (const layer of built) {
      layerPaths.push(`blobs/sha256/${layer.blobDigest}`);
      if (seen.has(layer.blobDigest)) continue;
      seen.add(layer.blobDigest);
      layerEntries.push({ name: `blobs/sha256/${layer.blobDigest}`, content: layer.blob });
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: configJson.length },
        layers: built.map((l) => ({ mediaType: layerMediaType[compression], digest: `sha256:${l.blobDigest}`, size: l.blob.length })),
      }),
    );
    const manifestHex = sha256(manifest);
    const descriptor = (tag?: string) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${manifestHex}`,
      size: manifest.length,
      ...(tag ? { annotations: { 'io.containerd.image.name': `docker.io/${tag}`, 'org.opencontainers.image.ref.name': tag.slice(tag.lastIndexOf(':') + 1) } } : {}),
    });
    metaEntries.push({ name: `blobs/sha256/${configHex}`, content: configJson });
    metaEntries.push({ name: `blobs/sha256/${manifestHex}`, content: manifest });
    metaEntries.push({ name: 'oci-layout', content: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) });
    metaEntries.push({
      name: 'index.json',
      content: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: tags.length ? tags.map(descriptor) : [descriptor()] })),
    });
    // Docker 25+ also writes the legacy manifest.json next to index.json; Docker 20.10 loads only that.
    metaEntries.push({ name: 'manifest.json', content: Buffer.from(JSON.stringify([{ Config: `blobs/sha256/${configHex}`, RepoTags: tags, Layers: layerPaths }])) });
  }

  const ordered = spec.metadataFirst ? [...metaEntries, ...layerEntries] : [...layerEntries, ...metaEntries];
  const archive = await packToBuffer((pack) => {
    const dirs = new Set<string>();
    for (const entry of ordered) {
      for (const dir of parentDirs(entry.name)) {
        if (dirs.has(dir)) continue;
        dirs.add(dir);
        pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime: FIXED_MTIME });
      }
      if ('symlink' in entry) pack.entry({ name: entry.name, type: 'symlink', linkname: entry.symlink, mtime: FIXED_MTIME });
      else pack.entry({ name: entry.name, size: entry.content.length, mode: 0o644, mtime: FIXED_MTIME }, entry.content);
    }
  });
  return { archive, imageId: `sha256:${configHex}`, diffIds: built.map((l) => l.diffId), layerPaths, config };
}

/** The archive as a stream, optionally cut into small chunks (to exercise stream boundaries). */
export async function imageArchiveStream(spec: ImageArchiveSpec, chunkSize = 64 * 1024): Promise<Readable> {
  const { archive } = await buildImageArchive(spec);
  return Readable.from(chunked(archive, chunkSize));
}

export function* chunked(data: Buffer, chunkSize: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
}

/** Writes the archive to a file path or a writable stream. */
export async function writeImageArchive(spec: ImageArchiveSpec, target: string | Writable): Promise<BuiltImageArchive> {
  const built = await buildImageArchive(spec);
  await pipeline(Readable.from(chunked(built.archive, 64 * 1024)), typeof target === 'string' ? createWriteStream(target) : target);
  return built;
}
