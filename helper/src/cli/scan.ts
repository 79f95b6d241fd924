/**
 * `shipshape scan IMAGE` / `shipshape scan --input image.tar`: one scan, one report on stdout.
 * The archive streams through the analyzers (never unpacked); the report is printed only
 * when the whole scan succeeded, so a failure never looks like a clean image.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { LayerWorkerPool, scanImage, scanInPlace, type AnalyzerCategory, type ReportPostProcessor, type ScanProgress } from '@shipshape/analyzers';
import { ScanReport } from '@shipshape/shared';
import { createDockerClient, parseDockerHost } from '../docker/client.ts';
import { layerSourceOption, parseFlags, resolveDataDir, resolveLayerSource } from '../config.ts';
import { planLayerSource } from '../scan/in-place-scan.ts';
import type { WorkerAnalyzerOptions } from '../scan/worker-analyzers.ts';
import { formatTable } from './scan-table.ts';
import { detectionScanOptions } from '../clamav/detection-options.ts';
import { scanVulnerabilityStep } from '../vulndb/post-processor.ts';

export const summary = 'scan an image (name, tag or ID) or a docker save archive: --format json|table';

const usage = `Usage:
  pnpm shipshape scan IMAGE [--format json|table] [--categories LIST] [--quiet]
  pnpm shipshape scan --input image.tar [--format json|table] [--categories LIST] [--quiet]

IMAGE is a name, tag or ID known to the Docker Engine (DOCKER_HOST, default
/var/run/docker.sock); its 'docker save' stream is read once, never unpacked to disk.
--input reads a 'docker save' archive (legacy or OCI layout) from a file instead.
--categories  comma-separated: packages (alias vulnerabilities), sensitive, malware. Default: all.
--format      json (default; the report) or table (for people).
--secret-rules FILE  extra gitleaks-format secret rules (TOML; repeatable).
--disable-rules IDS  comma-separated secret rule ids to turn off.
--signatures DIR     ClamAV .hdb/.hsb/.ndb files to add (repeatable; <data dir>/signatures is read too).
--clamd ADDRESS      also ask clamd (socket path or host:port; env SHIPSHAPE_CLAMD).
--data-dir DIR       where the vulnerability database and signatures live (default: the
                     helper's, SHIPSHAPE_DATA_DIR or ~/.local/share/shipshape).
--layer-source MODE  auto (default; or SHIPSHAPE_LAYER_SOURCE): read IMAGE's layers in place from
                     Docker's overlay2 folders when the engine is local, overlay2 and readable
                     (root), else through docker save; in-place: only in place; export: docker save.
Progress goes to stderr (--quiet to silence it). Exit status 1 and no report on failure.
`;

const categoryAliases: Record<string, AnalyzerCategory> = {
  packages: 'packages',
  vulnerabilities: 'packages',
  sensitive: 'sensitive',
  malware: 'malware',
  os: 'os',
};

export interface PostProcessorContext {
  /** Categories as the user wrote them (after aliasing `vulnerabilities` stays listed). */
  requested: Set<string>;
  /** The data dir (vulnerability database, signatures), as `serve` and `db` resolve it. */
  dataDir: string;
}

/**
 * Steps run on the report after the inventory, in order (vulnerability matching plugs in
 * here). Each factory returns null when it has nothing to do for this scan.
 */
export const postProcessorFactories: Array<(ctx: PostProcessorContext) => Promise<ReportPostProcessor | null>> = [scanVulnerabilityStep];

function parseCategories(text: string | undefined): { categories: AnalyzerCategory[] | undefined; requested: Set<string> } {
  if (!text) return { categories: undefined, requested: new Set(['vulnerabilities', 'packages', 'sensitive', 'malware']) };
  const requested = new Set(text.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean));
  const unknown = [...requested].filter((c) => !categoryAliases[c]);
  if (unknown.length > 0) throw new Error(`unknown categor${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')} (use packages, vulnerabilities, sensitive, malware)`);
  return { categories: [...new Set([...requested].map((c) => categoryAliases[c]!))], requested };
}

async function openSource(image: string | undefined, input: string | undefined): Promise<{ stream: Readable; tags: string[]; layers: number | null }> {
  if (input) {
    const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${input}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    if (!info.isFile()) throw new Error(`${input} is not a file`);
    return { stream: createReadStream(input, { highWaterMark: 1024 * 1024 }), tags: [], layers: null };
  }
  const docker = createDockerClient(parseDockerHost(process.env.DOCKER_HOST));
  const handle = docker.getImage(image!);
  const details = await handle.inspect().catch((error: { statusCode?: number; message?: string }) => {
    if (error.statusCode === 404) throw new Error(`no such image: ${image}`);
    throw new Error(`cannot reach the Docker Engine (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'}): ${error.message ?? String(error)}`);
  });
  // Saving by ID gives an archive without tags; `docker inspect` knows them.
  const stream = (await handle.get()) as unknown as Readable;
  return { stream, tags: details.RepoTags ?? [], layers: details.RootFS?.Layers?.length ?? null };
}

/** `layers`: the count Docker reported, shown before the archive's own manifest (which comes last) is read. */
function progressReporter(quiet: boolean, layers: () => number | null): ((p: ScanProgress) => void) | undefined {
  if (quiet) return undefined;
  const tty = process.stderr.isTTY;
  let lastLayers = -1;
  return (p) => {
    const total = p.layersTotal ?? layers();
    const line = `scanning: ${p.layersDone}${total ? `/${total}` : ''} layers, ${(p.bytesDone / 1e6).toFixed(1)} MB read`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (p.layersDone !== lastLayers) process.stderr.write(`${line}\n`);
    lastLayers = p.layersDone;
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: 'string', short: 'i' },
        format: { type: 'string', short: 'f', default: 'json' },
        categories: { type: 'string', short: 'c' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        'secret-rules': { type: 'string', multiple: true },
        'disable-rules': { type: 'string' },
        signatures: { type: 'string', multiple: true },
        clamd: { type: 'string' },
        'data-dir': { type: 'string' },
        ...layerSourceOption,
      },
    }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const image = positionals[0];
  if ((!image && !values.input) || (image && values.input) || positionals.length > 1) {
    process.stderr.write(`shipshape scan: give one IMAGE or --input FILE\n\n${usage}`);
    return 2;
  }
  if (values.format !== 'json' && values.format !== 'table') {
    process.stderr.write(`shipshape scan: --format must be json or table, got '${values.format}'\n`);
    return 2;
  }
  const { categories, requested } = parseCategories(values.categories);
  const dataDir = resolveDataDir(values['data-dir']);
  const layerSource = resolveLayerSource(values['layer-source']);

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let knownLayers: number | null = null;
  const onProgress = progressReporter(values.quiet ?? false, () => knownLayers);
  try {
    // User rules and signatures load before the image stream opens: a bad file fails fast.
    const detection = await detectionScanOptions(
      {
        secretRuleFiles: values['secret-rules'] ?? [],
        disabledRules: (values['disable-rules'] ?? '').split(',').map((id) => id.trim()).filter(Boolean),
        signatureDirs: values.signatures ?? [],
        dataDir,
        ...((values.clamd ?? process.env.SHIPSHAPE_CLAMD) ? { clamd: values.clamd ?? process.env.SHIPSHAPE_CLAMD } : {}),
      },
      categories,
    );
    const postProcessors = (await Promise.all(postProcessorFactories.map((make) => make({ requested, dataDir })))).filter((p): p is ReportPostProcessor => p !== null);
    if (image && layerSource !== 'export') {
      const inPlace = await scanImageInPlace(image, layerSource, {
        categories: categories ?? ['os', 'packages', 'sensitive', 'malware'],
        detection: {
          secretRuleFiles: (values['secret-rules'] ?? []).map((f) => resolvePath(f)),
          disabledRules: (values['disable-rules'] ?? '').split(',').map((id) => id.trim()).filter(Boolean),
          dataDir,
          signatureDirs: (values.signatures ?? []).map((d) => resolvePath(d)),
          maxFileSizeMb: null,
          clamd: values.clamd ?? process.env.SHIPSHAPE_CLAMD ?? null,
        },
      }, { postProcessors, signal: controller.signal, ...(onProgress ? { onProgress } : {}), sensitive: detection.sensitive, ...(categories ? { categories } : {}) });
      if (inPlace) {
        if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
        const checked = ScanReport.parse(inPlace);
        process.stdout.write(values.format === 'json' ? `${JSON.stringify(checked, null, 2)}\n` : formatTable(checked));
        return 0;
      }
    }
    const { stream, tags, layers } = await openSource(image, values.input);
    knownLayers = layers;
    const report = await scanImage(stream, {
      ...detection,
      ...(categories ? { categories } : {}),
      signal: controller.signal,
      tags,
      postProcessors,
      ...(onProgress ? { onProgress } : {}),
    }).finally(() => stream.destroy());
    (report as ScanReport).layerSource = 'export';
    if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
    // The contract the helper and extension rely on; a violation is a bug, not a report.
    const checked = ScanReport.parse(report);
    process.stdout.write(values.format === 'json' ? `${JSON.stringify(checked, null, 2)}\n` : formatTable(checked));
    return 0;
  } catch (error) {
    if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
    process.stderr.write(`shipshape scan: failed, no report: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const workerAnalyzers = new URL('../scan/worker-analyzers.ts', import.meta.url).href;

/**
 * IMAGE read in place when the setting and the engine allow (null: use the export; with
 * `auto` the reason is said on stderr). The layers are walked in worker threads.
 */
async function scanImageInPlace(
  image: string,
  mode: 'auto' | 'in-place',
  options: WorkerAnalyzerOptions,
  opts: { postProcessors: ReportPostProcessor[]; signal: AbortSignal; onProgress?: (p: ScanProgress) => void; sensitive?: Parameters<typeof scanInPlace>[0]['sensitive']; categories?: AnalyzerCategory[] },
): Promise<ScanReport | null> {
  const target = parseDockerHost(process.env.DOCKER_HOST);
  const docker = createDockerClient(target);
  const info = await docker.getImage(image).inspect().catch((error: { statusCode?: number; message?: string }) => {
    if (error.statusCode === 404) throw new Error(`no such image: ${image}`);
    throw new Error(`cannot reach the Docker Engine (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'}): ${error.message ?? String(error)}`);
  });
  const plan = await planLayerSource(mode, { docker, target }, info);
  if (plan.kind === 'export') {
    if (plan.note) process.stderr.write(`shipshape scan: ${plan.note}\n`);
    return null;
  }
  const pool = new LayerWorkerPool({ recipeModules: [workerAnalyzers] });
  try {
    const report = await scanInPlace({
      ...plan.image,
      tags: info.RepoTags ?? [],
      workers: { pool, recipe: { module: workerAnalyzers, options, key: 'cli' } },
      ...opts,
    });
    return { ...report, layerSource: 'in-place' };
  } finally {
    await pool.close();
  }
}
