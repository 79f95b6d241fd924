/**
 * `npm run build`: compiles the `shipshape` CLI (and the helper it serves) to plain JavaScript
 * in dist/, so nothing is transpiled at run time and no package manager sits in the call path.
 *
 * - One esbuild bundle of helper/src/cli/main.ts and every workspace package it imports, split at
 *   the commands' dynamic imports: `shipshape --version` loads the entry file alone, and each
 *   command loads only its own chunks.
 * - better-sqlite3, @napi-rs/xattr and re2 stay external (native addons): they resolve from the repository's
 *   node_modules, which is where `npm link` / `npm install -g .` leave dist/.
 * - Data files that modules read beside themselves (`new URL('./rules/x.toml', import.meta.url)`)
 *   are copied to dist/assets/<their source folder>/ and the URL's base is pointed there.
 * - The layer worker (worker threads the scans run in) as a second bundle, dist/layer-worker.js:
 *   from the sources it is bundled when a pool starts, which dist/ cannot do (no sources), and
 *   without it every scan of the compiled helper would run on its event loop.
 * - dist/ is built into a fresh folder and swapped in whole: a failed build leaves the previous one.
 */
import { build, type Plugin } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const staging = join(root, `dist.build-${process.pid}`);
const ENTRY_NAME = 'shipshape';
const WORKER_FILE = 'layer-worker.js';
/** The data-update worker (helper/src/vulndb/jobs): imports and index builds off the API's thread. */
const JOB_WORKER_FILE = 'vulndb-worker.js';
const jobWorker = 'helper/src/vulndb/jobs/worker-entry.ts';
const prebuiltJobWorkerModule = join(root, 'helper/src/vulndb/jobs/prebuilt-job-worker.ts');

/**
 * The recipe modules the helper and the CLI hand their layer workers
 * (`new LayerWorkerPool({ recipeModules })`): compiled into dist/layer-worker.js, since dist/
 * has no module a worker could import by URL. A new recipe module must be listed here.
 */
const recipeModules = ['helper/src/scan/worker-analyzers.ts', 'analyzers/src/parallel/default-analyzers.ts'];
const layerWorker = 'analyzers/src/parallel/layer-worker.ts';
const prebuiltWorkerModule = join(root, 'analyzers/src/parallel/prebuilt-worker.ts');

/**
 * Left to Node's resolution at run time: the native addons (the vulnerability database, xattrs, RE2), and
 * optional packages that libraries try to load and do without (ssh2's cpu-features through
 * dockerode; CycloneDX's XML and schema-validation plugins): none of these is installed here,
 * so bundling them fails and their require() keeps failing softly as it does from source.
 * esbuild too: only worker-bundle.ts's from-source path imports it, which dist/ never takes
 * (it has its prebuilt worker).
 */
const external = ['better-sqlite3', '@napi-rs/xattr', 're2', 'esbuild', 'cpu-features', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'];

const commonJsGlobals = [
  "import { createRequire as __shipshapeRequire } from 'node:module';",
  "import { fileURLToPath as __shipshapePath } from 'node:url';",
  'const require = __shipshapeRequire(import.meta.url);',
  'const __filename = __shipshapePath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join('\n');

const shebang = '#!/usr/bin/env node';

const assetUrl = /new URL\(\s*(['"`])([^'"`]*?)\1\s*,\s*import\.meta\.url\s*\)/g;
const codeFile = /\.(?:[cm]?[jt]sx?|d\.ts)$/;

/**
 * Where a source folder's data files are in dist/, as an expression for a file at the top of
 * dist/ (every chunk and the worker are). The main bundle's module URLs and the keys the worker
 * files its recipe modules under are both made with it, so they are the same URL at run time.
 */
function assetBase(moduleDir: string): string {
  return `new URL('./assets/${relative(root, moduleDir).split(sep).join('/')}/', import.meta.url)`;
}

/**
 * Relocates `new URL(spec, import.meta.url)` data files into dist/assets/. A template spec
 * (`./${file}`) copies every data file of the folder it names; a spec naming a module (a
 * worker's recipe module, the worker itself) copies nothing: that code is in the bundles. Any
 * other use of import.meta.url / import.meta.dirname fails the build rather than break at run time.
 */
function moduleAssets(outDir: string): Plugin {
  return {
    name: 'shipshape-module-assets',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        let source = readFileSync(args.path, 'utf8').replace(/^#!.*\n/, '');
        const moduleDir = dirname(args.path);
        source = source.replace(assetUrl, (_match, quote: string, spec: string) => {
          if (!codeFile.test(spec)) copyAssets(moduleDir, spec, outDir);
          return `new URL(${quote}${spec}${quote}, ${assetBase(moduleDir)})`;
        });
        const leftover = source.replace(/new URL\('\.\/assets\/[^']*', import\.meta\.url\)/g, '');
        if (/import\.meta\.(?:url|dirname|filename)/.test(leftover)) {
          return {
            errors: [
              {
                text: `${relative(root, args.path)} uses import.meta in a way the compiled CLI cannot relocate; read data files with new URL('./file', import.meta.url)`,
              },
            ],
          };
        }
        return { contents: source, loader: 'ts' };
      });
    },
  };
}

/** In dist/, prebuilt-worker.ts names the worker compiled beside the main bundle. */
const prebuiltWorker: Plugin = {
  name: 'shipshape-prebuilt-worker',
  setup(b) {
    b.onLoad({ filter: /prebuilt-worker\.ts$/ }, (args) =>
      args.path === prebuiltWorkerModule ? { contents: `export const prebuiltLayerWorker = new URL('./${WORKER_FILE}', import.meta.url).href;`, loader: 'ts' } : undefined,
    );
    b.onLoad({ filter: /prebuilt-job-worker\.ts$/ }, (args) =>
      args.path === prebuiltJobWorkerModule ? { contents: `export const prebuiltJobWorker = new URL('./${JOB_WORKER_FILE}', import.meta.url).href;`, loader: 'ts' } : undefined,
    );
  },
};

/**
 * The worker's entry: the layer worker with each recipe module preloaded under the URL the
 * main bundle names it by (`new URL('./worker-analyzers.ts', import.meta.url)`, relocated).
 */
function workerEntry(): string {
  const modules = recipeModules.map((file) => join(root, file));
  return [
    `import { preloadRecipeModules } from ${JSON.stringify(join(root, layerWorker))};`,
    ...modules.map((file, i) => `import * as recipe${i} from ${JSON.stringify(file)};`),
    'preloadRecipeModules({',
    ...modules.map((file, i) => `  [new URL(${JSON.stringify(`./${basename(file)}`)}, ${assetBase(dirname(file))}).href]: recipe${i},`),
    '});',
  ].join('\n');
}

function copyAssets(moduleDir: string, spec: string, outDir: string): void {
  const files = spec.includes('${') ? dataFilesIn(resolve(moduleDir, spec.slice(0, spec.indexOf('${')) || '.')) : [resolve(moduleDir, spec)];
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`${spec} (from ${relative(root, moduleDir)}) does not exist`);
    const destination = join(outDir, 'assets', relative(root, file));
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(file, destination);
  }
}

/** The data files (not code) of the folder a template spec names (`./${file}` → the module's own folder). */
function dataFilesIn(prefix: string): string[] {
  const folder = existsSync(prefix) && statSync(prefix).isDirectory() ? prefix : dirname(prefix);
  return readdirSync(folder)
    .map((name) => join(folder, name))
    .filter((file) => statSync(file).isFile() && !codeFile.test(file));
}

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(staging, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  } as const;
  await build({
    ...common,
    entryPoints: { [ENTRY_NAME]: 'helper/src/cli/main.ts' },
    outdir: staging,
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Bundled CommonJS packages use require() for Node's built-ins and __dirname; ESM has neither.
    banner: { js: `${shebang}\n${commonJsGlobals}` },
    plugins: [prebuiltWorker, moduleAssets(staging)],
  });
  // One file, no chunks shared with the main bundle: a worker loads only what a walk needs.
  await build({
    ...common,
    stdin: { contents: workerEntry(), resolveDir: root, sourcefile: 'layer-worker-entry.ts', loader: 'ts' },
    outfile: join(staging, WORKER_FILE),
    banner: { js: commonJsGlobals },
    plugins: [moduleAssets(staging)],
  });
  await build({
    ...common,
    entryPoints: [jobWorker],
    outfile: join(staging, JOB_WORKER_FILE),
    banner: { js: commonJsGlobals },
    plugins: [moduleAssets(staging)],
  });
  chmodSync(join(staging, `${ENTRY_NAME}.js`), 0o755);
  const previous = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, previous);
  renameSync(staging, dist);
  rmSync(previous, { recursive: true, force: true });
  const files = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== WORKER_FILE && f !== JOB_WORKER_FILE);
  process.stderr.write(`[build] dist/${ENTRY_NAME}.js and ${files.length - 1} chunks, dist/${WORKER_FILE}, dist/${JOB_WORKER_FILE}, in ${Math.round(performance.now() - started)} ms\n`);
}

main().catch((error: unknown) => {
  rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`[build] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
