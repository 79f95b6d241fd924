/**
 * A real image: npm packages pinned to versions with known advisories, installed from the
 * npm registry into a node_modules tree on top of the Debian test image, scanned from
 * `docker save` with the advisory fixtures as the database. Exactly the expected findings,
 * with fixed versions; an image that upgrades them in a later layer has none.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanImage } from '@shipshape/analyzers';
import type { ScanReport } from '@shipshape/shared';
import { importPath, vulnerabilityPostProcessor } from '@shipshape/helper/vulndb/index.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { buildImage, docker, removeImages } from '../support/docker.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TAG_OLD = 'shipshape-test/vulndb-npm:old';
const TAG_UPGRADED = 'shipshape-test/vulndb-npm:upgraded';

// Versions with advisories in test/fixtures/advisories/osv-ghsa-npm-sample (GHSA records).
const pinned = { lodash: '4.17.15', json5: '1.0.1', minimatch: '3.0.4' };
const upgraded = { lodash: '4.17.21', json5: '1.0.2', minimatch: '3.0.5' };

async function npmInstall(dir: string, versions: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'vulnerable-app', version: '1.0.0', private: true, dependencies: versions }, null, 2));
  await run('npm', ['install', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev'], { cwd: dir, timeout: 240_000 });
}

async function scan(tag: string, dataDir: string): Promise<ScanReport> {
  const stream = (await docker.getImage(tag).get()) as unknown as Readable;
  return scanImage(stream, { postProcessors: [vulnerabilityPostProcessor(dataDir)] });
}

let context: string;
let dataDir: string;

beforeAll(async () => {
  context = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-image-'));
  dataDir = await mkdtemp(join(tmpdir(), 'shipshape-vulndb-image-data-'));
  const { tag: base } = await ensureDebianImage();
  await npmInstall(join(context, 'old'), pinned);
  await npmInstall(join(context, 'new'), upgraded);
  await writeFile(join(context, 'Dockerfile.old'), `FROM ${base}\nWORKDIR /app\nCOPY old/ /app/\nCMD ["bash"]\n`);
  await writeFile(join(context, 'Dockerfile.new'), `FROM ${TAG_OLD}\nCOPY new/node_modules/ /app/node_modules/\nCOPY new/package.json /app/package.json\n`);
  await writeFile(join(context, '.dockerignore'), '');
  await buildDockerfile('Dockerfile.old', TAG_OLD);
  await buildDockerfile('Dockerfile.new', TAG_UPGRADED);
  await importPath(dataDir, join(repoRoot, 'test', 'fixtures', 'advisories'));
});

async function buildDockerfile(dockerfile: string, tag: string): Promise<void> {
  await writeFile(join(context, 'Dockerfile'), await readFile(join(context, dockerfile)));
  await buildImage(context, tag, { network: 'none' });
}

afterAll(async () => {
  await removeImages('shipshape-test/vulndb-npm');
  await rm(context, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('vulnerabilities of a real image', () => {
  it('finds exactly the advisories of the pinned npm packages, with fixed versions and layer', async () => {
    const report = await scan(TAG_OLD, dataDir);
    const npm = report.packages.filter((p) => p.ecosystem === 'npm').map((p) => `${p.name}@${p.version}`);
    expect(npm).toEqual(expect.arrayContaining(['lodash@4.17.15', 'json5@1.0.1', 'minimatch@3.0.4']));
    expect(report.packages.some((p) => p.ecosystem.startsWith('Debian:'))).toBe(true);

    const found = (report.vulnerabilities ?? []).map((v) => ({
      id: v.id,
      aliases: v.aliases,
      pkg: `${v.package.name}@${v.package.version}`,
      severity: v.severity,
      fixedVersions: v.fixedVersions,
      fixStatus: v.fixStatus,
      fixCommand: v.fixCommand,
    }));
    expect(found.sort((a, b) => a.pkg.localeCompare(b.pkg))).toEqual([
      { id: 'GHSA-9c47-m6qq-7p4h', aliases: ['CVE-2022-46175'], pkg: 'json5@1.0.1', severity: 'high', fixedVersions: ['1.0.2'], fixStatus: 'fixed', fixCommand: 'npm install json5@1.0.2' },
      { id: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'], pkg: 'lodash@4.17.15', severity: 'high', fixedVersions: ['4.17.21'], fixStatus: 'fixed', fixCommand: 'npm install lodash@4.17.21' },
      { id: 'GHSA-f8q6-p94x-37v3', aliases: ['CVE-2022-3517'], pkg: 'minimatch@3.0.4', severity: 'high', fixedVersions: ['3.0.5'], fixStatus: 'fixed', fixCommand: 'npm install minimatch@3.0.5' },
    ]);
    // The step that copied the app in (the classic builder writes `COPY dir:<hash> in /app/`).
    const appLayer = report.image.layers.find((l) => /COPY .* in \/app\/?\s*$/.test(l.createdBy ?? ''));
    expect(appLayer).toBeTruthy();
    for (const v of report.vulnerabilities ?? []) {
      expect(v.layer).toEqual({ diffId: appLayer?.diffId, createdBy: appLayer?.createdBy });
      expect(v.cvss.score).toBeGreaterThan(0);
      expect(v.references.length).toBeGreaterThan(0);
    }
    expect(report.malware?.filter((m) => m.engine === 'osv-malicious')).toEqual([]);
  });

  it('shipshape scan reports them too (json and the table summary; data dir by env or --data-dir)', async () => {
    const cli = (format: string) =>
      run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), 'scan', TAG_OLD, '--format', format, '--quiet', ...(format === 'table' ? ['--data-dir', dataDir] : [])], {
        cwd: repoRoot,
        env: { ...process.env, ...(format === 'json' ? { SHIPSHAPE_DATA_DIR: dataDir } : {}) },
        maxBuffer: 64 * 1024 * 1024,
      });
    const json = JSON.parse((await cli('json')).stdout) as ScanReport;
    expect(json.vulnerabilities?.map((v) => v.id).sort()).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-9c47-m6qq-7p4h', 'GHSA-f8q6-p94x-37v3']);
    const table = (await cli('table')).stdout;
    expect(table).toContain('Vulnerabilities (3: 0 critical, 3 high, 0 medium, 0 low, 0 unknown; worst first)');
    expect(table).toMatch(/GHSA-35jh-r3h4-6jhm\s+high\s+lodash\s+4\.17\.15\s+4\.17\.21/);
  });

  it('has none once a later layer upgrades them', async () => {
    const report = await scan(TAG_UPGRADED, dataDir);
    const npm = report.packages.filter((p) => p.ecosystem === 'npm').map((p) => `${p.name}@${p.version}`);
    expect(npm).toEqual(expect.arrayContaining(['lodash@4.17.21', 'json5@1.0.2', 'minimatch@3.0.5']));
    expect(npm).not.toContain('lodash@4.17.15');
    expect(report.vulnerabilities).toEqual([]);
  });
});
