import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScanReport } from '@shipshape/shared';
import { buildImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { run } from './scan.ts';

let work: string;
let archive: string;
let imageId: string;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-cli-scan-'));
  // An empty data dir: no vulnerability database, nothing of the user's touched.
  vi.stubEnv('SHIPSHAPE_DATA_DIR', join(work, 'data'));
  archive = join(work, 'image.tar');
  const built = await buildImageArchive({
    compression: 'gzip',
    tags: ['shipshape-test/cli:1'],
    layers: [
      {
        createdBy: 'base',
        files: [
          { path: '/etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' },
          { path: '/lib/apk/db/installed', content: 'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\nP:busybox-binsh\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n' },
        ],
      },
    ],
  });
  imageId = built.imageId;
  writeFileSync(archive, built.archive);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

describe('shipshape scan --input', () => {
  it('prints a report that satisfies the shared schema', async () => {
    const io = capture();
    expect(await run(['--input', archive])).toBe(0);
    const report = ScanReport.parse(JSON.parse(io.stdout()));
    expect(report.image).toMatchObject({ id: imageId, tags: ['shipshape-test/cli:1'], os: { family: 'alpine', version: '3.19.1' } });
    expect(report.packages.map((p) => [p.ecosystem, p.name, p.version, p.sourceName, p.purl])).toEqual([
      ['Alpine:v3.19', 'busybox-binsh', '1.36.1-r15', 'busybox', 'pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=3.19.1'],
      ['Alpine:v3.19', 'musl', '1.2.4_git20230717-r4', 'musl', 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1'],
    ]);
    // The layer is walked in a worker: the archive's manifest (the layer count) may be read before it is done.
    expect(io.stderr()).toMatch(/scanning: 1(\/1)? layers/);
  });

  it('--scan-workers 3: the same report as the default pool (the helper test checks that the setting reaches the pool)', async () => {
    const io = capture();
    expect(await run(['--input', archive, '--quiet'])).toBe(0);
    const byDefault = ScanReport.parse(JSON.parse(io.stdout()));
    vi.restoreAllMocks();
    const again = capture();
    expect(await run(['--input', archive, '--quiet', '--scan-workers', '3'])).toBe(0);
    const withThree = ScanReport.parse(JSON.parse(again.stdout()));
    const { scannedAt: _a, ...a } = byDefault as ScanReport & { scannedAt?: string };
    const { scannedAt: _b, ...b } = withThree as ScanReport & { scannedAt?: string };
    expect(b).toEqual(a);
    expect(b.packages).toHaveLength(2);
  });

  it('prints a table, and only the categories asked for', async () => {
    const io = capture();
    expect(await run(['--input', archive, '--format', 'table', '--categories', 'vulnerabilities', '--quiet'])).toBe(0);
    expect(io.stdout()).toMatch(/^OS\s+Alpine Linux v3\.19$/m);
    expect(io.stdout()).toMatch(/^Alpine:v3\.19\s+busybox-binsh\s+1\.36\.1-r15\s+busybox 1\.36\.1-r15\s+1$/m);
    expect(io.stdout()).not.toMatch(/Sensitive items|Malware/);
    expect(io.stderr()).not.toMatch(/scanning:/);
  });

  it('without vulnerability data: the report and the table say vulnerabilities were not checked, stderr too; never safe', async () => {
    const io = capture();
    expect(await run(['--input', archive, '--categories', 'vulnerabilities', '--quiet'])).toBe(0);
    const report = ScanReport.parse(JSON.parse(io.stdout()));
    expect(report.notChecked).toEqual([{ category: 'vulnerabilities', reason: expect.stringMatching(/^no vulnerability data: run 'shipshape db update'/) }]);
    expect(io.stderr()).toMatch(/no vulnerability database at .*vulnerabilities were not checked/);
    const table = capture();
    expect(await run(['--input', archive, '--format', 'table', '--categories', 'vulnerabilities', '--quiet'])).toBe(0);
    expect(table.stdout()).toMatch(/^Verdict\s+INCOMPLETE: no finding, but vulnerabilities NOT CHECKED \(no vulnerability data/m);
    expect(table.stdout()).toMatch(/^Vulnerabilities: NOT CHECKED \(no vulnerability data/m);
    expect(table.stdout()).not.toMatch(/SAFE/);
  });

  it('refuses bad arguments with status 2 and a reason', async () => {
    const io = capture();
    expect(await run([])).toBe(2);
    expect(await run(['img', '--input', archive])).toBe(2);
    expect(await run(['--input', archive, '--format', 'xml'])).toBe(2);
    expect(io.stderr()).toMatch(/give one IMAGE or --input FILE[\s\S]*--format must be one of json, table, sarif, cyclonedx, spdx/);
    expect(await run(['--input', archive, '--scan-workers', '1'])).toBe(2);
    expect(await run(['--input', archive, '--layer-source', 'inplace'])).toBe(2);
    expect(io.stderr()).toMatch(/scan workers must be a whole number from 2 to 64, got '1'[\s\S]*layer source must be auto, in-place, export, got 'inplace'/);
    await expect(run(['--input', archive, '--categories', 'packages,viruses'])).rejects.toThrow(/unknown category viruses/);
    expect(io.stdout()).toBe('');
  });
});
