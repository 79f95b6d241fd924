/**
 * One pass over a `docker save` stream. In a real stream the layer blobs come before
 * manifest.json/index.json, so each blob is analysed as it streams by (keyed by its path),
 * only small JSON entries are buffered, and the layers are put in order at the end.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import * as tar from 'tar-stream';
import type { ImageConfig } from '../scan.ts';
import { ArchiveFormatError, layerCreators, parseImageConfig, parseLegacyManifest, parseOciIndex, type ImageManifest } from './archive-metadata.ts';
import { createDecompressor, sniffCompression, SNIFF_BYTES, type Compression } from './decompress.ts';
import { DigestCounter } from './digest-counter.ts';
import { checkedEntrySize } from './entry-size.ts';
import type { LayerSource } from './layer-source.ts';
import { tarLayerSource } from './tar-layer-source.ts';

/**
 * Archive bytes read ahead of the analysis. `docker save` writes into a 64 KiB pipe and stops
 * while nobody reads; with some buffered, it keeps streaming while this thread is busy. Small:
 * with workers, layers go to files (parallel/layer-spool.ts), which already let the export run
 * ahead of the analysis, and every chunk kept here for long outlives V8's young generation, so
 * it is freed only at a full collection: 16 MB here added 50-70 MB to the peak RSS of a scan.
 */
const READ_AHEAD_BYTES = 1024 * 1024;

/** JSON entries (config, manifest, index) above this are refused: no image needs more. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export interface ArchiveLayer<T> {
  /** Path of the blob inside the archive. */
  blobPath: string;
  diffId: string;
  createdBy: string | null;
  /** Uncompressed size in bytes. */
  size: number;
  result: T;
}

export interface ReadArchiveResult<T> {
  /** `sha256:<hex>` of the config: the image ID. */
  imageId: string;
  tags: string[];
  config: ImageConfig;
  layers: Array<ArchiveLayer<T>>;
  notes: string[];
}

export interface ReadArchiveOptions<T> {
  /**
   * Walks one layer blob; called as each blob streams by, in archive order. `stream` is the
   * same uncompressed tar as `source`, for a walker elsewhere (a worker thread) that reads
   * the bytes itself: use one or the other. The archive moves on to the next blob as soon as
   * this one's bytes are all taken; the result may come later. `compression` is the blob's
   * (`stream` is decompressed already): a compressed blob may be a bomb.
   */
  onLayer(source: LayerSource, blobPath: string, stream: Readable, compression: Compression): Promise<T>;
  /** Called once a walked blob has been fully hashed: its diffID and uncompressed size. */
  onLayerDone?(diffId: string, size: number, result: T): void | Promise<void>;
  /**
   * A result already known for this diffID. Consulted when the diffID is known before the
   * blob is read (OCI layout, uncompressed blob: the blob digest is the diffID); the blob is
   * then only hashed, not walked.
   */
  cachedLayer?(diffId: string): T | undefined | Promise<T | undefined>;
  signal?: AbortSignal;
  onProgress?(progress: { layersDone: number; layersTotal: number | null; bytesDone: number }): void;
}

interface BlobResult<T> {
  diffId: string;
  size: number;
  result: T;
}

/** A blob whose bytes have all been read; its analysis may still be running. */
interface PendingBlob<T> {
  diffId: string;
  size: number;
  result: Promise<T>;
}

const stripDot = (name: string) => name.replace(/^\.\//, '').replace(/\/+$/, '');
const isLegacyLayer = (path: string) => /^[^/]+\/layer\.tar$/.test(path);
const isBlob = (path: string) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(path);
const isTopLevelJson = (path: string) => !path.includes('/') && (path.endsWith('.json') || path === 'repositories' || path === 'oci-layout');

/** Reads an entry into memory: only for small JSON entries. */
async function readSmall(chunks: AsyncIterator<unknown>, first: Buffer[], name: string): Promise<Buffer> {
  const parts = [...first];
  let length = parts.reduce((n, b) => n + b.length, 0);
  for (let r = await chunks.next(); !r.done; r = await chunks.next()) {
    const chunk = r.value as Buffer;
    length += chunk.length;
    if (length > MAX_JSON_BYTES) throw new ArchiveFormatError(`${name} is larger than ${MAX_JSON_BYTES} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Reads until at least `n` bytes (or the end) have arrived; returns what was read. */
async function peek(chunks: AsyncIterator<unknown>, n: number): Promise<Buffer[]> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const r = await chunks.next();
    if (r.done) break;
    head.push(r.value as Buffer);
    length += (r.value as Buffer).length;
  }
  return head;
}

export async function readImageArchive<T>(input: Readable, opts: ReadArchiveOptions<T>): Promise<ReadArchiveResult<T>> {
  const archiveCounter = new DigestCounter(false);
  const extract = tar.extract();
  const jsonEntries = new Map<string, Buffer>();
  const blobs = new Map<string, BlobResult<T>>();
  const pendingBlobs = new Map<string, PendingBlob<T>>();
  let layerFailure: { error: unknown } | null = null;
  const aliases = new Map<string, string>();
  let layersDone = 0;
  let knownTotal: number | null = null;
  let lastProgress = 0;
  const progress = () => opts.onProgress?.({ layersDone, layersTotal: knownTotal, bytesDone: archiveCounter.bytes });

  const onAbort = () => input.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('scan cancelled'));
  opts.signal?.throwIfAborted();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  archiveCounter.on('data', () => {
    if (archiveCounter.bytes - lastProgress >= 16 * 1024 * 1024) {
      lastProgress = archiveCounter.bytes;
      progress();
    }
  });
  const readAhead = new PassThrough({ highWaterMark: READ_AHEAD_BYTES });
  pipeline(input, readAhead, archiveCounter, extract as unknown as NodeJS.WritableStream, () => {
    /* errors surface through the extract iterator */
  });

  let current = '';
  try {
    for await (const entry of extract) {
      const name = stripDot(entry.header.name);
      current = name;
      checkedEntrySize(entry.header.size, name);
      const type = entry.header.type;
      if (type === 'symlink' || type === 'link') {
        // Older `docker save` writes a repeated layer as a link to the first copy.
        const target = entry.header.linkname ?? '';
        aliases.set(name, type === 'symlink' ? stripDot(new URL(target, `file:///${name}`).pathname.slice(1)) : stripDot(target));
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      if (isTopLevelJson(name)) {
        jsonEntries.set(name, await readSmall(entry[Symbol.asyncIterator](), [], name));
        if (name === 'manifest.json') knownTotal ??= safeLayerCount(jsonEntries.get(name)!);
        continue;
      }
      if (!isLegacyLayer(name) && !isBlob(name)) {
        entry.resume();
        continue;
      }
      const chunks = entry[Symbol.asyncIterator]();
      const head = await peek(chunks, SNIFF_BYTES);
      const headBytes = Buffer.concat(head);
      if (isBlob(name) && headBytes[0] === 0x7b /* { */ && (entry.header.size ?? 0) <= MAX_JSON_BYTES) {
        jsonEntries.set(name, await readSmall(chunks, head, name));
        continue;
      }
      const pending = await analyseBlob(name, head, chunks, archiveCounter, opts);
      pending.result.then(
        () => {
          layersDone++;
          progress();
        },
        (error: unknown) => {
          // A layer analysed in the background failed: stop reading the archive now.
          layerFailure ??= { error };
          input.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      pendingBlobs.set(name, pending);
    }
    for (const [name, pending] of pendingBlobs) blobs.set(name, { diffId: pending.diffId, size: pending.size, result: await pending.result });
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('scan cancelled');
    if (layerFailure) error = layerFailure.error;
    if (error instanceof ArchiveFormatError || (error instanceof Error && error.name === 'LayerFormatError')) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const where = isLegacyLayer(current) || isBlob(current) ? `layer ${current}: ` : current ? `${current}: ` : '';
    throw new ArchiveFormatError(`${where}image archive corrupt or truncated at archive byte ${archiveCounter.bytes}: ${reason}`);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  opts.signal?.throwIfAborted();
  return assemble(jsonEntries, blobs, aliases);
}

function safeLayerCount(manifest: Buffer): number | null {
  try {
    return parseLegacyManifest(manifest).layerPaths.length;
  } catch {
    return null;
  }
}

async function analyseBlob<T>(
  name: string,
  head: Buffer[],
  rest: AsyncIterator<unknown>,
  archiveCounter: DigestCounter,
  opts: ReadArchiveOptions<T>,
): Promise<PendingBlob<T>> {
  const compression = sniffCompression(Buffer.concat(head).subarray(0, SNIFF_BYTES));
  async function* raw() {
    yield* head;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value as Buffer;
  }
  const blobDigest = isBlob(name) && compression === 'none' ? `sha256:${name.slice('blobs/sha256/'.length)}` : null;
  const cached = blobDigest && opts.cachedLayer ? await opts.cachedLayer(blobDigest) : undefined;
  const decompressor = createDecompressor(compression);
  const uncompressed = new DigestCounter(true);
  const stages = [Readable.from(raw(), { objectMode: false }), ...(decompressor ? [decompressor] : []), uncompressed];
  pipeline(stages as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], () => {
    /* errors reach the layer walker through `uncompressed` */
  });
  const ended = new Promise<void>((resolve, reject) => {
    uncompressed.once('end', resolve);
    uncompressed.once('error', reject);
  });
  ended.catch(() => undefined);
  const position = () => `byte ${uncompressed.bytes} of the uncompressed layer (archive byte ${archiveCounter.bytes})`;
  const walking = cached !== undefined ? Promise.resolve(cached) : opts.onLayer(tarLayerSource(uncompressed, name, position), name, uncompressed, compression);
  // Wait until every byte of the blob is taken: the stream's end, or the walk's (it stops at the
  // tar's end-of-archive marker; the digest needs every byte, so the rest is drained).
  let walkError: { error: unknown } | null = null;
  const walkSettled = walking.then(
    () => 'walked' as const,
    (error: unknown) => {
      walkError = { error };
      return 'walked' as const;
    },
  );
  const first = await Promise.race([ended.then(() => 'ended' as const), walkSettled]);
  if (walkError) throw (walkError as { error: unknown }).error;
  if (first === 'walked' && !uncompressed.readableEnded) uncompressed.resume();
  await ended;
  const diffId = uncompressed.digest();
  const size = uncompressed.bytes;
  const result = walking.then(async (value) => {
    if (cached === undefined) await opts.onLayerDone?.(diffId, size, value);
    return value;
  });
  result.catch(() => undefined);
  return { diffId, size, result };
}

function assemble<T>(jsonEntries: Map<string, Buffer>, blobs: Map<string, BlobResult<T>>, aliases: Map<string, string>): ReadArchiveResult<T> {
  const notes: string[] = [];
  let manifest: ImageManifest;
  const legacy = jsonEntries.get('manifest.json');
  const index = jsonEntries.get('index.json');
  if (legacy) manifest = parseLegacyManifest(legacy);
  else if (index) manifest = parseOciIndex(index, (path) => jsonEntries.get(path));
  else throw new ArchiveFormatError('the archive has no manifest.json or index.json (truncated, or not a docker save archive)');
  if (manifest.otherImages > 0) notes.push(`the archive holds ${manifest.otherImages + 1} images; only the first was scanned`);

  const resolve = (path: string) => aliases.get(path) ?? path;
  const configText = jsonEntries.get(resolve(manifest.configPath));
  if (!configText) throw new ArchiveFormatError(`the manifest names config ${manifest.configPath}, which is not in the archive`);
  const config = parseImageConfig(configText, manifest.configPath);
  if (config.rootfs.diff_ids.length !== manifest.layerPaths.length) {
    throw new ArchiveFormatError(`the config lists ${config.rootfs.diff_ids.length} layers but the manifest ${manifest.layerPaths.length}`);
  }
  const creators = layerCreators(config);
  const layers = manifest.layerPaths.map((path, i) => {
    const blob = blobs.get(resolve(path));
    const label = `layer ${i + 1} of ${manifest.layerPaths.length} (${path})`;
    if (!blob) throw new ArchiveFormatError(`${label} is named by the manifest but not in the archive (truncated?)`);
    const expected = config.rootfs.diff_ids[i]!;
    if (blob.diffId !== expected) throw new ArchiveFormatError(`${label}: content digest ${blob.diffId} does not match the config's diff_id ${expected}`);
    return { blobPath: path, diffId: expected, createdBy: creators[i] ?? null, size: blob.size, result: blob.result };
  });
  const imageId = `sha256:${createHash('sha256').update(configText).digest('hex')}`;
  return { imageId, tags: manifest.tags, config, layers, notes };
}
