/**
 * `shipshape scan IMAGE` / `shipshape scan --input image.tar`: one scan, one report on stdout
 * (or `--output FILE`). The archive streams through the analyzers (never unpacked); the report
 * is written only when the whole scan succeeded, so a failure never looks like a clean image.
 * Exit status: 0 clean (or no --exit-code), N (--exit-code N) when a finding at a --severity
 * listed remains after ignores, 1 an error and no report, 2 bad arguments.
 */
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { LayerWorkerPool, scanImage, scanInPlace, type Analyzer, type AnalyzerCategory, type LayerWorkers, type ReportPostProcessor, type ScanProgress } from '@shipshape/analyzers';
import { ScanReport, type NotChecked, type ReportFormat, type RiskCategory, type Severity } from '@shipshape/shared';
import { createDockerClient, parseDockerHost } from '../docker/client.ts';
import { layerSourceOption, parseFlags, resolveDataDir, resolveLayerSource, resolveScanWorkers, scanWorkersOption } from '../config.ts';
import type { LayerSourceSetting } from '@shipshape/shared/defaults.ts';
import { planLayerSource } from '../scan/in-place-scan.ts';
import { analyzersFor, type WorkerAnalyzerOptions } from '../scan/worker-analyzers.ts';
import { loadDetection } from '../scan/detection-loader.ts';
import { formatIgnored, formatTable } from './scan-table.ts';
import { applyPolicy, loadIgnoreFile, loadVex, parseSeverities, PolicyError, vexRules } from './scan-gate.ts';
import { serializeReport } from '../export/report-formats.ts';
import type { SplitReport } from '../ignores/match.ts';
import { writeFileAtomic } from '../state/atomic-file.ts';
import { HELPER_VERSION } from '../version.ts';
import { detectionScanOptions } from '../clamav/detection-options.ts';
import { scanVulnerabilityStep } from '../vulndb/post-processor.ts';
import { categoryGaps } from '../scan/category-gaps.ts';
import { loadMaskKey } from '../secrets/mask-key.ts';

export const summary = 'scan an image (name, tag or ID) or a docker save archive; --exit-code N gates CI';

const formats = ['json', 'table', 'sarif', 'cyclonedx', 'spdx'] as const;
type OutputFormat = (typeof formats)[number];

const usage = `Usage:
  shipshape scan IMAGE [--format FORMAT] [--output FILE] [--categories LIST] [--quiet]
  shipshape scan --input image.tar [options]
  CI gate: [--exit-code N] [--severity LIST] [--ignore-unfixed] [--ignore-file FILE] [--vex FILE]

IMAGE is a name, tag or ID known to the Docker Engine (DOCKER_HOST, default
/var/run/docker.sock); its 'docker save' stream is read once, never unpacked to disk.
--input reads a 'docker save' archive (legacy or OCI layout) from a file instead.
--categories  comma-separated: packages (alias vulnerabilities), sensitive, malware. Default: all.
--format      json (default; the report), table (for people), sarif (SARIF 2.1.0),
              cyclonedx (CycloneDX 1.5 JSON) or spdx (SPDX 2.3 JSON).
--output FILE write the report to FILE instead of stdout (also when the gate fails).
--exit-code N exit with N when a finding remains after ignores at a --severity listed
              (default 0: the exit status says only whether the scan worked).
--severity LIST  comma-separated severities that fail the gate (critical,high,medium,low,
              unknown; default all). Vulnerabilities, secrets and malware by their own severity.
--ignore-unfixed  leave out vulnerabilities that have no fixed version yet.
--ignore-file FILE  .trivyignore style: one ID a line (vulnerability ID or alias, secret rule,
              malware signature), '#' comments, optional exp:YYYY-MM-DD (counts again from that day).
--vex FILE    an OpenVEX document (e.g. from 'shipshape vex export'): its not_affected, fixed and
              Shipshape 'accepted' statements for this image are ignores.
              Ignored findings stay in the report (JSON 'ignored', table 'Ignored', SARIF suppressed).
--secret-rules FILE  gitleaks-format secret rules (TOML; repeatable). As in gitleaks, a file
                     REPLACES the built-in rules unless it says [extend] useDefault = true.
                     A file Shipshape cannot honour is refused, naming the rule and construct.
--disable-rules IDS  comma-separated secret rule ids to turn off.
--signatures DIR     ClamAV .hdb/.hsb/.ndb files to add (repeatable; <data dir>/signatures is read too).
--clamd ADDRESS      also ask clamd (socket path or host:port; env SHIPSHAPE_CLAMD).
--data-dir DIR       where the vulnerability database and signatures live (default: the
                     helper's, SHIPSHAPE_DATA_DIR or ~/.local/share/shipshape).
--layer-source MODE  auto (default; or SHIPSHAPE_LAYER_SOURCE): read IMAGE's layers in place from
                     Docker's overlay2 folders when the engine is local, overlay2 and readable
                     (root), else through docker save; in-place: only in place; export: docker save.
--scan-workers N     layer worker threads, 2 to 64 (or SHIPSHAPE_SCAN_WORKERS; default one per core,
                     2 to 4). Each holds ~50 MB while it scans.
Progress goes to stderr (--quiet to silence it).
Exit status: 0 clean, N findings (with --exit-code N; also when a category asked for could not be
checked, e.g. no vulnerability database), 1 error (no report written), 2 bad arguments.
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

async function openSource(image: string | undefined, input: string | undefined): Promise<{ stream: Readable; tags: string[]; digests: string[]; layers: number | null }> {
  if (input) {
    const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${input}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    if (!info.isFile()) throw new Error(`${input} is not a file`);
    return { stream: createReadStream(input, { highWaterMark: 1024 * 1024 }), tags: [], digests: [], layers: null };
  }
  const docker = createDockerClient(parseDockerHost(process.env.DOCKER_HOST));
  const handle = docker.getImage(image!);
  const details = await handle.inspect().catch((error: { statusCode?: number; message?: string }) => {
    if (error.statusCode === 404) throw new Error(`no such image: ${image}`);
    throw new Error(`cannot reach the Docker Engine (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'}): ${error.message ?? String(error)}`);
  });
  // Saving by ID gives an archive without tags; `docker inspect` knows them.
  const stream = (await handle.get()) as unknown as Readable;
  return { stream, tags: details.RepoTags ?? [], digests: details.RepoDigests ?? [], layers: details.RootFS?.Layers?.length ?? null };
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

/** Adds what the scan could not check (a clamd that did not answer, an analyzer that failed) to the report's `notChecked`. */
function withGaps(report: ScanReport, analyzers: ReadonlyArray<{ name: string; category: AnalyzerCategory }>, requested: Set<string>): ScanReport {
  const risk: RiskCategory[] = [
    ...(requested.has('vulnerabilities') || requested.has('packages') ? (['vulnerabilities'] as const) : []),
    ...(requested.has('sensitive') ? (['sensitive'] as const) : []),
    ...(requested.has('malware') ? (['malware'] as const) : []),
  ];
  const gaps = Object.entries(categoryGaps(report, analyzers, risk)).map(([category, reason]): NotChecked => ({ category: category as RiskCategory, reason: reason! }));
  const notChecked = [...(report.notChecked ?? []), ...gaps];
  return notChecked.length ? { ...report, notChecked } : report;
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
        output: { type: 'string', short: 'o' },
        'exit-code': { type: 'string' },
        severity: { type: 'string' },
        'ignore-unfixed': { type: 'boolean' },
        'ignore-file': { type: 'string', multiple: true },
        vex: { type: 'string', multiple: true },
        ...layerSourceOption,
        ...scanWorkersOption,
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
  const format = values.format as OutputFormat;
  if (!formats.includes(format)) {
    process.stderr.write(`shipshape scan: --format must be one of ${formats.join(', ')}, got '${values.format}'\n`);
    return 2;
  }
  const exitCode = Number(values['exit-code'] ?? '0');
  if (!/^\d{1,3}$/.test(values['exit-code'] ?? '0') || exitCode > 255) {
    process.stderr.write(`shipshape scan: --exit-code must be a number from 0 to 255, got '${values['exit-code']}'\n`);
    return 2;
  }
  let severities: Severity[] | null;
  try {
    severities = parseSeverities(values.severity);
  } catch (error) {
    process.stderr.write(`shipshape scan: ${(error as Error).message}\n`);
    return 2;
  }
  const { categories, requested } = parseCategories(values.categories);
  const dataDir = resolveDataDir(values['data-dir']);
  let layerSource: LayerSourceSetting;
  let workers: number | undefined;
  try {
    layerSource = resolveLayerSource(values['layer-source']);
    workers = resolveScanWorkers(values['scan-workers']);
  } catch (error) {
    process.stderr.write(`shipshape scan: ${(error as Error).message}\n`);
    return 2;
  }
  const now = new Date();

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let knownLayers: number | null = null;
  const onProgress = progressReporter(values.quiet ?? false, () => knownLayers);
  const pool = new LayerWorkerPool({ recipeModules: [workerAnalyzers], ...(workers ? { size: workers } : {}) });
  try {
    // The team's decisions, user rules and signatures load before the image stream opens: a bad file fails fast.
    const fileRules = (await Promise.all((values['ignore-file'] ?? []).map((path) => loadIgnoreFile(path, now)))).flat();
    const vexDocuments = await Promise.all((values.vex ?? []).map((path) => loadVex(path)));
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
    // The data dir's mask key (when the helper made one): the same secret gets the same mask here
    // and there. Without one, a key of this run, handed to the workers too: one secret, one mask.
    const maskKey = loadMaskKey(dataDir, false) ?? randomBytes(32);
    const sensitive = { ...detection.sensitive, maskKey };
    // Layers are walked in worker threads, on either path, when workers can start here; the
    // workers build the analyzers from this recipe, masks keyed as here.
    const recipeOptions: WorkerAnalyzerOptions = {
      categories: categories ?? ['os', 'packages', 'sensitive', 'malware'],
      detection: {
        secretRuleFiles: (values['secret-rules'] ?? []).map((f) => resolvePath(f)),
        disabledRules: (values['disable-rules'] ?? '').split(',').map((id) => id.trim()).filter(Boolean),
        dataDir,
        signatureDirs: (values.signatures ?? []).map((d) => resolvePath(d)),
        maxFileSizeMb: null,
        clamd: values.clamd ?? process.env.SHIPSHAPE_CLAMD ?? null,
        maskKey: Buffer.from(maskKey).toString('hex'),
      },
    };
    const workers = (await pool.available()) ? { pool, recipe: { module: workerAnalyzers, options: recipeOptions, key: 'cli' } } : null;
    const here = workers ? null : analyzersFor(recipeOptions.categories, await loadDetection(recipeOptions.detection));
    const where = workers ? { workers } : { analyzers: here! };
    // What runs (their failures leave a category not checked): the workers build the analyzers
    // (all of them at once) while the image is inspected here; awaited once the report is in.
    const describing = workers ? pool.describe(workers.recipe) : Promise.resolve(here!);
    describing.catch(() => undefined);
    const postProcessors = (await Promise.all(postProcessorFactories.map((make) => make({ requested, dataDir })))).filter((p): p is ReportPostProcessor => p !== null);
    let scanned: { report: ScanReport; digests: string[] } | null = null;
    if (image && layerSource !== 'export') {
      scanned = await scanImageInPlace(image, layerSource, where, {
        postProcessors,
        signal: controller.signal,
        ...(onProgress ? { onProgress } : {}),
        sensitive,
        ...(categories ? { categories } : {}),
      });
    }
    if (!scanned) {
      const { stream, tags, digests, layers } = await openSource(image, values.input);
      knownLayers = layers;
      const exported = await scanImage(stream, {
        ...detection,
        sensitive,
        ...where,
        ...(categories ? { categories } : {}),
        signal: controller.signal,
        tags,
        postProcessors,
        ...(onProgress ? { onProgress } : {}),
      }).finally(() => stream.destroy());
      scanned = { report: { ...exported, layerSource: 'export' }, digests };
    }
    const { digests } = scanned;
    const report = withGaps(scanned.report, await describing, requested);
    for (const gap of report.notChecked ?? []) if (gap.category !== 'vulnerabilities') process.stderr.write(`shipshape scan: ${gap.category} not checked: ${gap.reason}\n`);
    if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
    // The contract the helper and extension rely on; a violation is a bug, not a report.
    const checked = ScanReport.parse(report);
    const identity = { id: checked.image.id, digests, tags: checked.image.tags };
    const fromVex = vexDocuments.map((document) => vexRules(document, identity, now));
    const outcome = applyPolicy(checked, [...fileRules, ...fromVex.flatMap((v) => v.rules)], identity, { severities, ignoreUnfixed: values['ignore-unfixed'] ?? false, now });
    const body = render(outcome.split, format);
    if (values.output) await writeFileAtomic(values.output, body);
    else process.stdout.write(body);
    const ignoredCount = Object.values(outcome.split.ignored).reduce((n, list) => n + list.length, 0);
    // A gate never passes on what was not checked (no vulnerability database, an analyzer that gave up).
    const gaps = [
      ...((requested.has('vulnerabilities') || requested.has('packages')) && !checked.vulnerabilities && !(checked.notChecked ?? []).some((n) => n.category === 'vulnerabilities')
        ? ['vulnerabilities (no vulnerability database)']
        : []),
      ...(checked.notChecked ?? []).map((n) => `${n.category} (${n.reason})`),
    ];
    if (exitCode !== 0 && gaps.length > 0) {
      process.stderr.write(`shipshape scan: not checked: ${gaps.join('; ')}; the gate cannot pass on an incomplete scan\n`);
      return (process.exitCode = exitCode);
    }
    if (!values.quiet || outcome.gated > 0) {
      const skipped = fromVex.reduce((n, v) => n + v.skipped, 0);
      process.stderr.write(
        `shipshape scan: ${outcome.gated} finding(s)${severities ? ` at ${severities.join(',')}` : ''} remain${ignoredCount ? `, ${ignoredCount} ignored` : ''}${skipped ? ` (${skipped} VEX statement(s) not for this image or not an ignore)` : ''}${values.output ? `; report in ${values.output}` : ''}\n`,
      );
    }
    return (process.exitCode = outcome.gated > 0 ? exitCode : 0);
  } catch (error) {
    if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`shipshape scan: failed, no report: ${message}${error instanceof PolicyError ? ' (fix the file, or leave the flag out)' : ''}\n`);
    // The status is set before the workers are closed: should closing them leave nothing for the
    // event loop to wait on, node exits before run() returns, and a failed scan must not exit 0.
    return (process.exitCode = 1);
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
  }
}

/** The report in the chosen format; ignored findings go apart (JSON `ignored`, a table section, SARIF suppressed results). */
function render({ active, ignored }: SplitReport, format: OutputFormat): string {
  if (format === 'table') return formatTable(active) + formatIgnored(ignored);
  if (format === 'json') return `${JSON.stringify({ ...active, ignored }, null, 2)}\n`;
  return `${serializeReport(active, format as ReportFormat, HELPER_VERSION, ignored).body}\n`;
}

const workerAnalyzers = new URL('../scan/worker-analyzers.ts', import.meta.url).href;

/**
 * IMAGE read in place when the setting and the engine allow (null: use the export; with
 * `auto` the reason is said on stderr). `where`: the layer workers, or analyzers for this thread.
 */
async function scanImageInPlace(
  image: string,
  mode: 'auto' | 'in-place',
  where: { workers: LayerWorkers } | { analyzers: Analyzer[] },
  opts: { postProcessors: ReportPostProcessor[]; signal: AbortSignal; onProgress?: (p: ScanProgress) => void; sensitive?: Parameters<typeof scanInPlace>[0]['sensitive']; categories?: AnalyzerCategory[] },
): Promise<{ report: ScanReport; digests: string[] } | null> {
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
  const report = await scanInPlace({ ...plan.image, tags: info.RepoTags ?? [], ...where, ...opts });
  return { report: { ...report, layerSource: 'in-place' }, digests: info.RepoDigests ?? [] };
}
