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
 * The image is `docker build` FROM the Debian test image, read back with `docker save`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

// Deep trees (express), scoped packages (@babel, @types), a version conflict that npm nests
// (debug@2 under express next to debug@4 at the top), and resolve, whose published tarball
// carries test fixtures with package.json files that are not packages.
const NPM_PACKAGES = ['express@4.21.2', '@babel/code-frame@7.26.2', 'chalk@4.1.2', 'debug@4.4.0', '@types/node@20.17.10', 'resolve@1.22.8'];

let work: string;
let report: ScanReport;
let npmTree: NpmLsNode;
let globalTree: NpmLsNode;
let globalRoot: string;

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

  writeFileSync(
    path.join(work, 'Dockerfile'),
    [
      `FROM ${debian.tag}`,
      'COPY app /app',
      `COPY globals ${globalRoot}`,
      `COPY containerd-shim ${DEBIAN_GO_BINARY}`,
      'COPY goapp /usr/local/bin/goapp',
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
