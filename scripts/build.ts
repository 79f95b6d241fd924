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
 * - dist/ is built into a fresh folder and swapped in whole: a failed build leaves the previous one.
 */
import { build, type Plugin } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const staging = join(root, `dist.build-${process.pid}`);
const ENTRY_NAME = 'shipshape';

/**
 * Left to Node's resolution at run time: the native addons (the vulnerability database, xattrs, RE2), and
 * optional packages that libraries try to load and do without (ssh2's cpu-features through
 * dockerode; CycloneDX's XML and schema-validation plugins): none of these is installed here,
 * so bundling them fails and their require() keeps failing softly as it does from source.
 */
const external = ['better-sqlite3', '@napi-rs/xattr', 're2', 'cpu-features', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'];

const commonJsGlobals = [
  '#!/usr/bin/env node',
  "import { createRequire as __shipshapeRequire } from 'node:module';",
  "import { fileURLToPath as __shipshapePath } from 'node:url';",
  'const require = __shipshapeRequire(import.meta.url);',
  'const __filename = __shipshapePath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join('\n');

const assetUrl = /new URL\(\s*(['"`])([^'"`]*?)\1\s*,\s*import\.meta\.url\s*\)/g;
const codeFile = /\.(?:[cm]?[jt]sx?|d\.ts)$/;

/**
 * Relocates `new URL(spec, import.meta.url)` data files into dist/assets/. A template spec
 * (`./${file}`) copies every data file of the folder it names; any other use of
 * import.meta.url / import.meta.dirname fails the build rather than break at run time.
 */
function moduleAssets(outDir: string): Plugin {
  return {
    name: 'shipshape-module-assets',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        let source = readFileSync(args.path, 'utf8').replace(/^#!.*\n/, '');
        const moduleDir = dirname(args.path);
        const assetDir = relative(root, moduleDir).split(sep).join('/');
        source = source.replace(assetUrl, (_match, quote: string, spec: string) => {
          copyAssets(moduleDir, spec, outDir);
          return `new URL(${quote}${spec}${quote}, new URL('./assets/${assetDir}/', import.meta.url))`;
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
  await build({
    absWorkingDir: root,
    entryPoints: { [ENTRY_NAME]: 'helper/src/cli/main.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external,
    // Bundled CommonJS packages use require() for Node's built-ins and __dirname; ESM has neither.
    banner: { js: commonJsGlobals },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [moduleAssets(staging)],
  });
  chmodSync(join(staging, `${ENTRY_NAME}.js`), 0o755);
  const previous = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, previous);
  renameSync(staging, dist);
  rmSync(previous, { recursive: true, force: true });
  const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
  process.stderr.write(`[build] dist/${ENTRY_NAME}.js and ${files.length - 1} chunks in ${Math.round(performance.now() - started)} ms\n`);
}

main().catch((error: unknown) => {
  rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`[build] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
