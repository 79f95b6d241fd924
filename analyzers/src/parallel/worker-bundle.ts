/**
 * The layer worker as one JavaScript file: the compiled CLI's prebuilt one (prebuilt-worker.ts),
 * or, from the sources, one built with esbuild when a pool starts. A worker
 * thread loading the TypeScript sources through tsx would transpile every module again and
 * keep tsx's loader: seconds of CPU and ~17 MB more per worker. The bundle holds the worker
 * and the pool's recipe modules; each module's own URL (import.meta's) stays its source file's (the
 * built-in rule and signature files are read next to their modules), and the native packages
 * stay outside, imported from where they are installed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prebuiltLayerWorker } from './prebuilt-worker.ts';

/**
 * Imported from where they are installed: native addons (esbuild cannot bundle a .node file),
 * and esbuild itself (a bundle that starts workers of its own bundles them with it).
 */
const NATIVE = ['@napi-rs/xattr', 'better-sqlite3', 're2', 'esbuild'];
/** Spelled in two parts: the CLI build (scripts/build.ts) refuses sources that use it bare. */
const META_URL = ['import', 'meta', 'url'].join('.');
const require = createRequire(new URL('./worker-bundle.ts', import.meta.url));

let dir: string | null = null;
const built = new Map<string, Promise<string | null>>();
const builtEntries = new Map<string, Promise<string>>();

/**
 * The worker's path, or null when none can be had here: the scans then run on the caller's
 * thread, and a warning says why. The prebuilt worker of the compiled CLI holds the recipe
 * modules the helper and CLI name (scripts/build.ts lists them).
 */
export function workerBundle(recipeModules: string[]): Promise<string | null> {
  if (prebuiltLayerWorker) return Promise.resolve(fileURLToPath(prebuiltLayerWorker));
  const key = recipeModules.join('\n');
  let bundle = built.get(key);
  if (!bundle) {
    bundle = build(recipeModules).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.emitWarning(`layer workers unavailable, analysing on the main thread: ${message}`, { code: 'SHIPSHAPE_NO_WORKERS' });
      return null;
    });
    built.set(key, bundle);
  }
  return bundle;
}

/**
 * Another worker's entry module (a file URL of the sources) as one JavaScript file, built as
 * the layer worker is: for the helper's other workers when it runs from the sources (the
 * compiled CLI has them prebuilt). Rejects when it cannot be built here.
 */
export function sourceWorkerBundle(entry: string): Promise<string> {
  let bundle = builtEntries.get(entry);
  if (!bundle) {
    const file = fileURLToPath(entry);
    bundle = buildBundle(`import ${JSON.stringify(file)};`, dirname(file), basename(file).replace(/\.[cm]?ts$/, ''));
    builtEntries.set(entry, bundle);
    bundle.catch(() => builtEntries.delete(entry));
  }
  return bundle;
}

async function build(recipeModules: string[]): Promise<string> {
  const worker = fileURLToPath(new URL('./layer-worker.ts', import.meta.url));
  if (!existsSync(worker)) throw new Error(`${worker} is missing and this build has no prebuilt worker: run 'npm run build' again`);
  const entry = [
    `import { preloadRecipeModules } from ${JSON.stringify(worker)};`,
    ...recipeModules.map((url, i) => `import * as recipe${i} from ${JSON.stringify(fileURLToPath(url))};`),
    `preloadRecipeModules({ ${recipeModules.map((url, i) => `${JSON.stringify(url)}: recipe${i}`).join(', ')} });`,
  ].join('\n');
  return buildBundle(entry, dirname(worker), 'layer-worker');
}

/** Builds one at a time: each stops esbuild's service when done, which would cut another short. */
let building: Promise<unknown> = Promise.resolve();

/** One ESM file of `entry` and all it imports, native addons aside, in this process's temp folder. */
function buildBundle(entry: string, resolveDir: string, name: string): Promise<string> {
  const next = building.then(() => buildBundleNow(entry, resolveDir, name));
  building = next.catch(() => undefined);
  return next;
}

async function buildBundleNow(entry: string, resolveDir: string, name: string): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    banner: { js: `import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(${META_URL});` },
    plugins: [
      {
        name: 'shipshape-worker',
        setup(b) {
          b.onResolve({ filter: new RegExp(`^(${NATIVE.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`) }, (args) => ({ path: require.resolve(args.path), external: true }));
          b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            const contents = source.includes(META_URL) ? source.replaceAll(META_URL, JSON.stringify(pathToFileURL(args.path).href)) : source;
            return { contents, loader: args.path.endsWith('ts') ? 'ts' : 'js' };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  // esbuild's service process would otherwise stay for the helper's lifetime (~20 MB).
  await esbuild.stop();
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-worker-'));
    const made = dir;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const file = join(dir, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
  writeFileSync(file, code);
  return file;
}
