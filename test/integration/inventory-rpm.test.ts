/**
 * The rpm inventory against the real rpm tool (Debian's rpm 4.18): packages built here with
 * rpmbuild and registered with `rpm -i --justdb` in a fresh SQLite database (the only
 * backend Debian's rpm can write), then read by our parser, by `rpm -qa`, and by a full scan
 * of an image made from that database (`docker import`, then `docker save` into scanImage).
 * The Berkeley DB fixtures are also cross-checked live with rpm's read-only bdb backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { scanImage, compareVersions } from '@shipshape/analyzers';
import { readRpmDatabase } from '@shipshape/analyzers/os-packages/rpm/database.ts';
import { docker, followProgress, removeImages } from '../support/docker.ts';

const QUERY_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%|MODULARITYLABEL?{%{MODULARITYLABEL}}:{}|\\n';
const IMAGE_PREFIX = 'shipshape-test/inventory-rpm';
const IMAGE = `${IMAGE_PREFIX}:sqlite`;

let work: string;
let dbPath: string;

function rpmQa(dbDir: string, backend?: string): string[] {
  const define = backend ? ['--define', `_db_backend ${backend}`] : [];
  const out = execFileSync('rpm', [...define, '-qa', '--dbpath', dbDir, '--qf', QUERY_FORMAT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).sort();
}

function ourLines(dbFile: string): string[] {
  const { packages, problems } = readRpmDatabase(readFileSync(dbFile));
  expect(problems).toEqual([]);
  return packages
    .map((p) => [p.name, p.epoch ?? '', p.version, p.release, p.arch ?? '(none)', p.sourceRpm ?? '(none)', p.modularityLabel ?? ''].join('\t'))
    .sort();
}

/** A spec with `subpackages` extra binary packages, so one rpmbuild run yields many rpms. */
function spec(o: { name: string; version: string; release: string; epoch?: number; subpackages?: number }): string {
  const lines = [
    `Name: ${o.name}`,
    `Version: ${o.version}`,
    `Release: ${o.release}`,
    ...(o.epoch !== undefined ? [`Epoch: ${o.epoch}`] : []),
    'Summary: Shipshape rpm inventory test package',
    'License: MIT',
    'Vendor: Shipshape Tests',
    'BuildArch: noarch',
    '%description',
    'Test package.',
  ];
  for (let i = 0; i < (o.subpackages ?? 0); i++) lines.push(`%package -n ${o.name}-part${i}`, 'Summary: part', `%description -n ${o.name}-part${i}`, 'part', `%files -n ${o.name}-part${i}`);
  lines.push('%files', '');
  return lines.join('\n');
}

function rpmbuild(specText: string, defines: Record<string, string> = {}): void {
  const file = path.join(work, `spec-${Math.random().toString(36).slice(2)}.spec`);
  writeFileSync(file, specText);
  const args = ['-bb', '--define', `_topdir ${path.join(work, 'top')}`, '--define', '_build_id_links none'];
  for (const [k, v] of Object.entries(defines)) args.push('--define', `${k} ${v}`);
  execFileSync('rpmbuild', [...args, file], { stdio: 'ignore' });
}

/** An image holding just os-release and the rpm database, via `docker import`. */
async function importImage(files: Record<string, Buffer>): Promise<void> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const stream = await docker.importImage(pack as unknown as Readable, { repo: IMAGE_PREFIX, tag: 'sqlite' });
  await followProgress(stream);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'shipshape-rpm-'));
  rpmbuild(spec({ name: 'shipshape-base', version: '1.0.0', release: '1.el9', subpackages: 25 }));
  rpmbuild(spec({ name: 'shipshape-epoch', version: '2.4.1', release: '3.el9_2', epoch: 7 }));
  rpmbuild(spec({ name: 'shipshape-module', version: '1.20.1', release: '10.module+el9.1.0+1234+abcd', subpackages: 2 }), {
    modularitylabel: 'nginx:1.20:9010020220524102234:ad008a3a',
  });
  const rpms = readdirSync(path.join(work, 'top/RPMS/noarch')).map((f) => path.join(work, 'top/RPMS/noarch', f));
  dbPath = path.join(work, 'root/var/lib/rpm');
  mkdirSync(dbPath, { recursive: true });
  execFileSync('rpm', ['--initdb', '--dbpath', dbPath], { stdio: 'ignore' });
  execFileSync('rpm', ['-i', '--nodeps', '--justdb', '--noscripts', '--dbpath', dbPath, ...rpms], { stdio: 'ignore' });
  await removeImages(IMAGE_PREFIX);
  await importImage({
    'etc/os-release': Buffer.from('ID=rocky\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n'),
    'var/lib/rpm/rpmdb.sqlite': readFileSync(path.join(dbPath, 'rpmdb.sqlite')),
  });
}, 300_000);

afterAll(async () => {
  await removeImages(IMAGE_PREFIX);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('rpm inventory against the real rpm tool', () => {
  it('reads a SQLite rpmdb written by rpm -i exactly as rpm -qa does', () => {
    const expected = rpmQa(dbPath);
    expect(expected).toHaveLength(30);
    expect(expected.some((l) => l.includes('nginx:1.20:'))).toBe(true);
    expect(ourLines(path.join(dbPath, 'rpmdb.sqlite'))).toEqual(expected);
  });

  // rpm 4.18 reads Berkeley DB with its bdb_ro backend: the live answer, not a stored list.
  for (const fixture of ['rhel8-libuuid', 'syft-dive']) {
    it(`reads the Berkeley DB fixture ${fixture} as rpm's bdb_ro backend does`, () => {
      const dir = path.join(work, `bdb-${fixture}`);
      cpSync(path.resolve(import.meta.dirname, `../../analyzers/src/os-packages/rpm/testdata/${fixture}/var/lib/rpm`), dir, { recursive: true });
      expect(ourLines(path.join(dir, 'Packages'))).toEqual(rpmQa(dir, 'bdb_ro'));
    });
  }

  it('scans an image holding that database: every package, qualified by the detected OS', async () => {
    const archive = (await docker.getImage(IMAGE).get()) as unknown as Readable;
    const report = await scanImage(archive);
    expect(report.image.os).toMatchObject({ family: 'rocky', version: '9.3' });
    const rpmPackages = report.packages.filter((p) => p.purl.startsWith('pkg:rpm/'));
    const expected = rpmQa(dbPath).map((line) => {
      const [name, epoch, version, release] = line.split('\t') as [string, string, string, string];
      return `${name} ${epoch ? `${epoch}:` : ''}${version}-${release}`;
    });
    expect(rpmPackages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected.sort());
    for (const p of rpmPackages) {
      expect(p.ecosystem).toBe('Rocky Linux:9');
      expect(p.paths).toEqual(['/var/lib/rpm/rpmdb.sqlite']);
      expect(p.layer.diffId).toBe(report.image.layers[0]!.diffId);
    }
    const epochPkg = rpmPackages.find((p) => p.name === 'shipshape-epoch')!;
    expect(epochPkg).toMatchObject({ version: '7:2.4.1-3.el9_2', sourceName: 'shipshape-epoch', sourceVersion: '7:2.4.1-3.el9_2' });
    expect(epochPkg.purl).toMatch(/^pkg:rpm\/rocky\/shipshape-epoch@2\.4\.1-3\.el9_2\?arch=noarch&distro=rocky-9\.3&epoch=7$/);
    const part = rpmPackages.find((p) => p.name === 'shipshape-base-part3')!;
    expect(part).toMatchObject({ sourceName: 'shipshape-base', sourceVersion: '1.0.0-1.el9' });
    const moduled = rpmPackages.find((p) => p.name === 'shipshape-module')!;
    expect(moduled.metadata).toMatchObject({ modularityLabel: 'nginx:1.20:9010020220524102234:ad008a3a' });
    expect(compareVersions(epochPkg.ecosystem, epochPkg.version, '2.9.9-1.el9')).toBeGreaterThan(0);
  });
});
