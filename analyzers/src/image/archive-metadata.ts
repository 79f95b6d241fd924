/**
 * The JSON side of a `docker save` archive: which config and layers make the image, its tags,
 * and the config itself. Both layouts: legacy `manifest.json`, OCI `index.json` → manifest.
 */
import type { ImageConfig } from '../scan.ts';

export class ArchiveFormatError extends Error {
  override name = 'ArchiveFormatError';
}

export interface ImageManifest {
  /** Archive path of the config JSON. */
  configPath: string;
  /** Archive paths of the layer blobs, bottom first. */
  layerPaths: string[];
  tags: string[];
  /** Other images in the same archive (only the first is scanned). */
  otherImages: number;
}

function parseJson(text: Buffer, what: string): unknown {
  try {
    return JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new ArchiveFormatError(`invalid JSON in ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const digestPath = (digest: unknown, what: string): string => {
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ArchiveFormatError(`${what}: invalid digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
};

export function parseLegacyManifest(text: Buffer): ImageManifest {
  const parsed = parseJson(text, 'manifest.json');
  if (!Array.isArray(parsed) || parsed.length === 0 || !isObject(parsed[0])) throw new ArchiveFormatError('manifest.json: expected a non-empty array of images');
  const first = parsed[0];
  if (typeof first.Config !== 'string' || !Array.isArray(first.Layers) || !first.Layers.every((l) => typeof l === 'string')) {
    throw new ArchiveFormatError('manifest.json: the image entry lacks Config or Layers');
  }
  const tags = Array.isArray(first.RepoTags) ? first.RepoTags.filter((t): t is string => typeof t === 'string') : [];
  return { configPath: first.Config, layerPaths: first.Layers as string[], tags, otherImages: parsed.length - 1 };
}

/** Docker's OCI export names images `docker.io/library/debian:12`; show them as `docker images` does. */
export function shortImageName(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

/** The descriptor to follow in an index: present in the archive, an image (not an attestation), linux/amd64 first. */
function pickDescriptor(descriptors: Array<Record<string, unknown>>, readBlob: (path: string) => Buffer | undefined): Record<string, unknown> | undefined {
  const present = descriptors.filter((d) => {
    try {
      return readBlob(digestPath(d.digest, 'descriptor')) !== undefined;
    } catch {
      return false;
    }
  });
  const isAttestation = (d: Record<string, unknown>) => isObject(d.annotations) && d.annotations['vnd.docker.reference.type'] === 'attestation-manifest';
  const images = present.filter((d) => !isAttestation(d));
  const platform = (d: Record<string, unknown>) => (isObject(d.platform) ? `${String(d.platform.os)}/${String(d.platform.architecture)}` : '');
  return images.find((d) => platform(d) === 'linux/amd64') ?? images[0] ?? descriptors[0];
}

export function parseOciIndex(text: Buffer, readBlob: (path: string) => Buffer | undefined): ImageManifest {
  const index = parseJson(text, 'index.json');
  if (!isObject(index) || !Array.isArray(index.manifests) || index.manifests.length === 0) throw new ArchiveFormatError('index.json: no manifests');
  const descriptors = index.manifests.filter(isObject);
  const first = pickDescriptor(descriptors, readBlob);
  if (!first) throw new ArchiveFormatError('index.json: no manifests');
  const tags = descriptors
    .filter((d) => d.digest === first.digest)
    .map((d) => (isObject(d.annotations) ? d.annotations['io.containerd.image.name'] : undefined))
    .filter((t): t is string => typeof t === 'string')
    .map(shortImageName);
  // Multi-platform images (containerd image store) nest an image index under index.json.
  let descriptor = first;
  for (let depth = 0; ; depth++) {
    const manifestPath = digestPath(descriptor.digest, 'index.json manifest');
    const manifestText = readBlob(manifestPath);
    if (!manifestText) throw new ArchiveFormatError(`index.json names manifest ${manifestPath}, which is not in the archive`);
    const manifest = parseJson(manifestText, manifestPath);
    if (isObject(manifest) && Array.isArray(manifest.manifests) && depth < 3) {
      const next = pickDescriptor(manifest.manifests.filter(isObject), readBlob);
      if (!next) throw new ArchiveFormatError(`${manifestPath}: an empty image index`);
      descriptor = next;
      continue;
    }
    if (!isObject(manifest) || !isObject(manifest.config) || !Array.isArray(manifest.layers)) throw new ArchiveFormatError(`${manifestPath}: not an image manifest`);
    return {
      configPath: digestPath(manifest.config.digest, `${manifestPath} config`),
      layerPaths: manifest.layers.map((l, i) => digestPath(isObject(l) ? l.digest : undefined, `${manifestPath} layer ${i + 1}`)),
      tags,
      otherImages: new Set(descriptors.map((d) => d.digest)).size - 1,
    };
  }
}

export function parseImageConfig(text: Buffer, path: string): ImageConfig {
  const parsed = parseJson(text, `image config ${path}`);
  if (!isObject(parsed) || !isObject(parsed.rootfs) || !Array.isArray(parsed.rootfs.diff_ids)) {
    throw new ArchiveFormatError(`image config ${path}: no rootfs.diff_ids`);
  }
  return {
    architecture: typeof parsed.architecture === 'string' ? parsed.architecture : 'unknown',
    os: typeof parsed.os === 'string' ? parsed.os : 'unknown',
    config: isObject(parsed.config) ? (parsed.config as ImageConfig['config']) : {},
    history: Array.isArray(parsed.history) ? parsed.history.filter(isObject) : [],
    rootfs: { type: String(parsed.rootfs.type ?? 'layers'), diff_ids: parsed.rootfs.diff_ids.map(String) },
  };
}

/** `created_by` of each layer: history entries marked `empty_layer` made no layer. */
export function layerCreators(config: ImageConfig): Array<string | null> {
  const steps = config.history.filter((h) => !h.empty_layer);
  if (steps.length !== config.rootfs.diff_ids.length) return config.rootfs.diff_ids.map(() => null);
  return steps.map((h) => (typeof h.created_by === 'string' ? h.created_by : null));
}
