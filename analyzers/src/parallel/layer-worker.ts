/**
 * A layer worker (worker thread): walks one layer at a time with analyzers built from the
 * job's recipe: a layer folder read in place (one shard of it), a layer tar the scan wrote to
 * a file as the export streamed by, or a (compressed) layer's tar streamed in by the scan, and answers with the plain-JSON layer result. Everything heavy of a scan runs
 * here, off the helper's event loop.
 */
import { PassThrough } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import type { Analyzer } from '../analyzer.ts';
import { InPlaceReadError, overlayLayerSource } from '../image/overlay-layer-source.ts';
import { tarFileLayerSource } from '../image/tar-file-layer-source.ts';
import { tarLayerSource } from '../image/tar-layer-source.ts';
import { tarSplitSize } from '../image/tar-split-size.ts';
import { shardOwner } from '../walker/shard-owner.ts';
import { walkLayer } from '../walker/walk-layer.ts';
import type { LayerResult } from '../walker/layer-result.ts';
import type { AnalyzerRecipe, FromWorker, LayerJob, SerializedError, ToWorker } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('layer-worker.ts runs as a worker thread');

type RecipeModule = { createAnalyzers(options: unknown): Analyzer[] | Promise<Analyzer[]> };

/** Recipe modules bundled with the worker (worker-bundle.ts); others are imported when first named. */
const preloaded = new Map<string, RecipeModule>();
export function preloadRecipeModules(modules: Record<string, RecipeModule>): void {
  for (const [url, module] of Object.entries(modules)) preloaded.set(url, module);
}

/** Analyzer sets by recipe key; a scan's recipe stays the same for all its layers. */
const built = new Map<string, Promise<Analyzer[]>>();
const KEEP_SETS = 2;

function analyzersFor(recipe: AnalyzerRecipe): Promise<Analyzer[]> {
  let set = built.get(recipe.key);
  if (!set) {
    const module = preloaded.get(recipe.module);
    set = (module ? Promise.resolve(module) : (import(recipe.module) as Promise<RecipeModule>)).then((m) => m.createAnalyzers(recipe.options));
    built.set(recipe.key, set);
    set.catch(() => built.delete(recipe.key));
    while (built.size > KEEP_SETS) built.delete(built.keys().next().value!);
  }
  return set;
}

const send = (message: FromWorker) => port.postMessage(message);

function serialize(error: unknown): SerializedError {
  if (error instanceof InPlaceReadError) return { name: error.name, message: error.message, failure: error.failure };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The stream job in progress: chunks go to its tar reader; acks tell the scan how far it got. */
let stream: { id: number; input: PassThrough; finished: boolean; taken: number } | null = null;

async function run(id: number, recipe: AnalyzerRecipe, job: LayerJob): Promise<void> {
  // The stream's first chunks may arrive while the analyzers load: they wait in its buffer.
  const current = job.kind === 'stream' ? { id, input: new PassThrough({ highWaterMark: 1024 * 1024 }), finished: false, taken: 0 } : null;
  if (current) stream = current;
  const analyzers = await analyzersFor(recipe);
  const layer = { diffId: job.layer.diffId, createdBy: null, index: job.layer.index };
  if (job.kind === 'folder') {
    const [result, size] = await Promise.all([
      // Hard links read their content from the folder: no copies kept for them.
      walkLayer(overlayLayerSource(job.diffDir, job.label, job.shard.count > 1 ? shardOwner(job.shard) : undefined), { analyzers, layer, shard: job.shard, hardlinkCacheBytes: 0 }),
      job.shard.index === 0 && job.tarSplit ? tarSplitSize(job.tarSplit) : Promise.resolve(null),
    ]);
    send({ type: 'done', id, result: size === null ? result : { ...result, size } });
    return;
  }
  if (job.kind === 'tar-file') {
    // A layer of an export, written to a file by the scan: read by position through the scan's
    // descriptor (the file has no name), which the scan closes once every shard's walk is over.
    // Hard links read their target where it lies in the file: no copies kept for them.
    const result = await walkLayer(tarFileLayerSource(job.fd, job.label), { analyzers, layer, shard: job.shard, hardlinkCacheBytes: 0 });
    send({ type: 'done', id, result });
    return;
  }
  if (!current) return;
  const input = current.input;
  try {
    const result = await walkLayer(tarLayerSource(input, job.label, () => `byte ${current.taken} of the uncompressed layer`), { analyzers, layer });
    send({ type: 'done', id, result });
  } finally {
    // Whatever still arrives for this job (the tar's zero padding) is only acknowledged.
    current.finished = true;
    input.destroy();
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'warm') {
    // A failed build is not kept: the job that needs it builds again and reports the failure.
    analyzersFor(message.recipe).catch(() => undefined);
    return;
  }
  if (message.type === 'describe') {
    analyzersFor(message.recipe).then(
      (analyzers) => send({ type: 'described', id: message.id, analyzers: analyzers.map((a) => ({ name: a.name, version: a.version, category: a.category })) }),
      (error: unknown) => send({ type: 'failed', id: message.id, error: serialize(error) }),
    );
    return;
  }
  if (message.type === 'inspect-image') {
    const image = message.image;
    analyzersFor(message.recipe).then(
      (analyzers) => send({ type: 'image-inspected', id: message.id, results: analyzers.flatMap((a) => (a.inspectImage ? [a.inspectImage(image)] : [])) }),
      (error: unknown) => send({ type: 'failed', id: message.id, error: serialize(error) }),
    );
    return;
  }
  if (message.type === 'job') {
    run(message.id, message.recipe, message.job).catch((error: unknown) => send({ type: 'failed', id: message.id, error: serialize(error) }));
    return;
  }
  if (!stream || stream.id !== message.id) return;
  const current = stream;
  if (message.type === 'end') {
    if (!current.finished) current.input.end();
    return;
  }
  const bytes = message.data.byteLength;
  if (current.finished) {
    send({ type: 'ack', id: message.id, bytes });
    return;
  }
  // The write callback comes once the tar reader has taken the chunk: that is the ack.
  current.input.write(Buffer.from(message.data.buffer, message.data.byteOffset, bytes), () => {
    current.taken += bytes;
    send({ type: 'ack', id: message.id, bytes });
  });
});
