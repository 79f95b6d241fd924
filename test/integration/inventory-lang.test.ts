/**
 * Language inventories against the real tools, through a full scan of a real image:
 * - a node_modules tree installed here from the npm registry (deep, scoped, nested
 *   conflicting versions, a package shipping non-package package.json fixtures) must equal
 *   `npm ls --all --json --long` run on the same folder, package by package and path by path;
 *   and this machine's global packages (npm itself, corepack), copied to the same global
 *   folder in the image, must equal `npm ls -g --all --json --long`;
 * - Go binaries must equal `go version -m` (Debian's golang-go): containerd-shim from Debian's
 *   containerd package (GOPATH build: toolchain only), and a module-mode binary built here,
 *   offline, with a dependency replaced by a local directory.
 * - the Python distributions' metadata of this machine's Debian dist-packages (dist-info,
 *   egg-info folders and files) must equal what Python's own importlib.metadata finds there.
 * The image is `docker build` FROM the Debian test image, read back with `docker save`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ScanReport } from '@shipshape/shared';
import { scanImage } from '@shipshape/analyzers';
import { ensureDebianImage } from '../support/debian-image.ts';
import { buildImage, docker, removeImages } from '../support/docker.ts';

const IMAGE_PREFIX = 'shipshape-test/inventory-lang';
const IMAGE = `${IMAGE_PREFIX}:latest`;
const DEBIAN_GO_BINARY = '/usr/bin/containerd-shim'; // from Debian's containerd package
const PYTHON_DIST_PACKAGES = '/usr/lib/python3/dist-packages'; // Debian's python3-* packages

// Deep trees (express), scoped packages (@babel, @types), a version conflict that npm nests
// (debug@2 under express next to debug@4 at the top), and resolve, whose published tarball
// carries test fixtures with package.json files that are not packages.
const NPM_PACKAGES = ['express@4.21.2', '@babel/code-frame@7.26.2', 'chalk@4.1.2', 'debug@4.4.0', '@types/node@20.17.10', 'resolve@1.22.8'];

let work: string;
let report: ScanReport;
let npmTree: NpmLsNode;
let globalTree: NpmLsNode;
let globalRoot: string;
let pythonExpected: string[];

interface NpmLsNode {
  version?: string;
  path?: string;
  dependencies?: Record<string, NpmLsNode>;
}

/** Every installed package in `npm ls --all --json --long`, as `name@version <image path>`. */
function npmLsEntries(tree: NpmLsNode, hostRoot: string, imageRoot = '/app'): string[] {
  const out = new Set<string>();
  const walk = (node: NpmLsNode) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.path && child.version) out.add(`${name}@${child.version} ${child.path.replace(hostRoot, imageRoot)}/package.json`);
      walk(child);
    }
  };
  walk(tree);
  return [...out].sort();
}

/** `go version -m` output → `module@version` list (replacements applied, toolchain as stdlib). */
function goVersionM(binary: string): string[] {
  const out = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  const [header, ...lines] = out.split('\n');
  const modules: Array<{ name: string; version: string }> = [];
  for (const line of lines) {
    const [, kind, modulePath, version] = line.split('\t');
    if ((kind === 'mod' || kind === 'dep') && modulePath) modules.push({ name: modulePath, version: version ?? '' });
    // A module replacement is what got compiled in; a directory (`./lib (devel)`) keeps the module's identity.
    if (kind === '=>' && modulePath && !/^[./]/.test(modulePath)) Object.assign(modules[modules.length - 1]!, { name: modulePath, version });
  }
  const toolchain = /: go(\d+\.\d+\.\d+)/.exec(header!)?.[1];
  modules.push({ name: 'stdlib', version: `v${toolchain}` });
  return modules.map((m) => `${m.name}@${m.version}`).sort();
}

/** importlib.metadata's distributions in a folder, as `normalised-name@version <metadata file in the image>`. */
function importlibDistributions(folder: string): string[] {
  const script = [
    'import importlib.metadata as m, json, re, sys, os',
    'out = []',
    'for d in m.distributions(path=[sys.argv[1]]):',
    '    p = str(d._path)',
    "    f = p if os.path.isfile(p) else os.path.join(p, 'METADATA' if p.endswith('.dist-info') else 'PKG-INFO')",
    "    out.append(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() + '@' + d.version + ' ' + f)",
    'print(json.dumps(out))',
  ].join('\n');
  const found = JSON.parse(execFileSync('python3', ['-c', script, folder], { encoding: 'utf8' })) as string[];
  return found.map((line) => line.replace(folder, PYTHON_DIST_PACKAGES)).sort();
}

function packagesFrom(imagePath: string, ecosystem: string) {
  return report.packages.filter((p) => p.ecosystem === ecosystem && p.paths.includes(imagePath));
}

beforeAll(async () => {
  const debian = await ensureDebianImage();
  work = mkdtempSync(path.join(tmpdir(), 'shipshape-lang-'));
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'shipshape-lang-app', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...NPM_PACKAGES], { cwd: app, stdio: 'ignore' });
  npmTree = JSON.parse(execFileSync('npm', ['ls', '--all', '--json', '--long'], { cwd: app, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as NpmLsNode;
  globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  globalTree = JSON.parse(execFileSync('npm', ['ls', '-g', '--all', '--json', '--long'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as NpmLsNode;
  cpSync(globalRoot, path.join(work, 'globals'), { recursive: true, verbatimSymlinks: true });

  // A module-mode Go binary, built offline: the main module and one dependency replaced by a directory.
  const goSource = path.join(work, 'gosrc');
  mkdirSync(path.join(goSource, 'lib'), { recursive: true });
  writeFileSync(path.join(goSource, 'go.mod'), 'module example.com/shipshape/app\n\ngo 1.19\n\nrequire example.com/shipshape/lib v1.2.3\n\nreplace example.com/shipshape/lib v1.2.3 => ./lib\n');
  writeFileSync(path.join(goSource, 'main.go'), 'package main\n\nimport "example.com/shipshape/lib"\n\nfunc main() { println(lib.Hello()) }\n');
  writeFileSync(path.join(goSource, 'lib', 'go.mod'), 'module example.com/shipshape/lib\n');
  writeFileSync(path.join(goSource, 'lib', 'lib.go'), 'package lib\n\nfunc Hello() string { return "shipshape" }\n');
  execFileSync('go', ['build', '-trimpath', '-o', path.join(work, 'goapp'), '.'], {
    cwd: goSource,
    stdio: 'ignore',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', CGO_ENABLED: '0', GOCACHE: path.join(tmpdir(), 'shipshape-go-cache') },
  });
  copyFileSync(DEBIAN_GO_BINARY, path.join(work, 'containerd-shim'));

  // Only the distributions' metadata is copied: that is all either side reads.
  const pyDist = path.join(work, 'pydist');
  mkdirSync(pyDist);
  for (const name of existsSync(PYTHON_DIST_PACKAGES) ? readdirSync(PYTHON_DIST_PACKAGES) : []) {
    if (/\.(dist-info|egg-info)$/.test(name)) cpSync(path.join(PYTHON_DIST_PACKAGES, name), path.join(pyDist, name), { recursive: true });
  }
  // Plus one of each layout with unnormalised names, so the check never rests on the host alone.
  const meta = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nDescription\n`;
  mkdirSync(path.join(pyDist, 'Shipshape_Probe.Wheel-1.2.3.dist-info'));
  writeFileSync(path.join(pyDist, 'Shipshape_Probe.Wheel-1.2.3.dist-info', 'METADATA'), meta('Shipshape_Probe.Wheel', '1.2.3'));
  mkdirSync(path.join(pyDist, 'shipshape_probe_egg-0.4.egg-info'));
  writeFileSync(path.join(pyDist, 'shipshape_probe_egg-0.4.egg-info', 'PKG-INFO'), meta('Shipshape-Probe-Egg', '0.4'));
  writeFileSync(path.join(pyDist, 'shipshape_probe_distutils-2.0.post1.egg-info'), meta('shipshape.probe.distutils', '2.0.post1'));
  pythonExpected = importlibDistributions(pyDist);

  writeFileSync(
    path.join(work, 'Dockerfile'),
    [
      `FROM ${debian.tag}`,
      'COPY app /app',
      `COPY globals ${globalRoot}`,
      `COPY containerd-shim ${DEBIAN_GO_BINARY}`,
      'COPY goapp /usr/local/bin/goapp',
      `COPY pydist ${PYTHON_DIST_PACKAGES}`,
      '',
    ].join('\n'),
  );
  await removeImages(IMAGE_PREFIX);
  await buildImage(work, IMAGE, { network: 'none' });
  report = await scanImage((await docker.getImage(IMAGE).get()) as unknown as Readable);
}, 900_000);

afterAll(async () => {
  await removeImages(IMAGE_PREFIX);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm inventory against npm ls', () => {
  it('reports every installed package at its path, and nothing else under node_modules', () => {
    const expected = npmLsEntries(npmTree, path.join(work, 'app'));
    expect(expected.length).toBeGreaterThan(80);
    expect(expected.some((e) => e.startsWith('debug@2.') && e.includes('/node_modules/express/node_modules/debug/'))).toBe(true);
    const ours = report.packages
      .filter((p) => p.ecosystem === 'npm')
      .flatMap((p) => p.paths.filter((file) => file.startsWith('/app/node_modules/')).map((file) => `${p.name}@${p.version} ${file}`))
      .sort();
    expect(ours).toEqual(expected);
  });

  it('reports the global packages (npm root -g) as npm ls -g does', () => {
    const expected = npmLsEntries(globalTree, globalRoot, globalRoot);
    expect(expected.some((e) => e.startsWith('npm@'))).toBe(true);
    const ours = report.packages
      .filter((p) => p.ecosystem === 'npm')
      .flatMap((p) => p.paths.filter((file) => file.startsWith(`${globalRoot}/`)).map((file) => `${p.name}@${p.version} ${file}`))
      .sort();
    expect(ours).toEqual(expected);
  });

  it('reads the same set from the application lockfile', () => {
    const expected = [...new Set(npmLsEntries(npmTree, path.join(work, 'app')).map((e) => e.split(' ')[0]!))].sort();
    const fromLock = packagesFrom('/app/package-lock.json', 'npm').map((p) => `${p.name}@${p.version}`).sort();
    expect(fromLock).toEqual(expected);
  });

  it('gives each package a purl and the layer that copied it', () => {
    const babel = report.packages.find((p) => p.name === '@babel/code-frame' && p.paths[0]?.startsWith('/app/node_modules/'));
    expect(babel).toMatchObject({ purl: 'pkg:npm/%40babel/code-frame@7.26.2', version: '7.26.2' });
    expect(babel?.layer.createdBy).toMatch(/COPY .*app/);
  });
});

describe('Go binaries against go version -m', () => {
  it(`${DEBIAN_GO_BINARY} from Debian's containerd package`, () => {
    const ours = packagesFrom(DEBIAN_GO_BINARY, 'Go').map((p) => `${p.name}@${p.version}`).sort();
    expect(ours).toEqual(goVersionM(DEBIAN_GO_BINARY));
  });

  it('a module-mode binary with a directory replacement', () => {
    const ours = packagesFrom('/usr/local/bin/goapp', 'Go');
    expect(ours.map((p) => `${p.name}@${p.version}`).sort()).toEqual(goVersionM(path.join(work, 'goapp')));
    expect(ours.find((p) => p.name === 'example.com/shipshape/lib')?.metadata).toEqual({ replacedByDirectory: './lib' });
  });
});

describe('Python inventory against importlib.metadata', () => {
  it(`reports every distribution in ${PYTHON_DIST_PACKAGES} with its PEP 503 name`, () => {
    expect(pythonExpected).toContain(`shipshape-probe-wheel@1.2.3 ${PYTHON_DIST_PACKAGES}/Shipshape_Probe.Wheel-1.2.3.dist-info/METADATA`);
    expect(pythonExpected.filter((line) => line.startsWith('shipshape-probe-'))).toHaveLength(3);
    const ours = report.packages
      .filter((p) => p.ecosystem === 'PyPI')
      .flatMap((p) => p.paths.map((file) => `${p.name}@${p.version} ${file}`))
      .sort();
    expect(ours).toEqual(pythonExpected);
  });
});
