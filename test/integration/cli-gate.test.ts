/**
 * `shipshape scan` as a CI gate, run as a user runs it (a child process) against the real
 * daemon: an image with known-vulnerable npm packages and a leaked key, the vulnerability
 * database built from the OSV records in test/fixtures/advisories. Exit codes, ignore files
 * (with exp: dates), --ignore-unfixed, an unreadable ignore file, and SARIF that validates
 * against the SARIF 2.1.0 schema.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '@shipshape/helper/vulndb/index.ts';
import { removeImages } from '../support/docker.ts';
import { sarifErrors } from '../support/json-schemas.ts';
import { NPM_IMAGE_PREFIX, ensureVulnerableNpmImage } from '../support/vulnerable-npm-image.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TAG = `${NPM_IMAGE_PREFIX}:gate`;
let work: string;
let dataDir: string;

/** Runs `shipshape scan TAG …` and resolves with its exit code and output (never rejects on a non-zero exit). */
function scan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'helper', 'src', 'cli', 'main.ts'), 'scan', TAG, '--data-dir', dataDir, '--quiet', ...args],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

async function ignoreFile(name: string, text: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-cli-gate-'));
  dataDir = join(work, 'data');
  await importPath(dataDir, join(repoRoot, 'test', 'fixtures', 'advisories'));
  await ensureVulnerableNpmImage('gate');
});

afterAll(async () => {
  await removeImages(`${NPM_IMAGE_PREFIX}:gate`);
  await rm(work, { recursive: true, force: true });
});

const HIGH_FIXED = 'GHSA-35jh-r3h4-6jhm'; // lodash 4.17.15
const HIGH_UNFIXED = 'GHSA-78xj-cgh5-2h22'; // ip 1.1.8, alias CVE-2023-42282
const KEY_RULE = 'file-ssh-private-key'; // critical

describe('shipshape scan as a CI gate (real daemon)', () => {
  it('exits with --exit-code when a finding at a listed severity remains; 0 without --exit-code', async () => {
    const plain = await scan('--format', 'json');
    expect(plain.code).toBe(0);
    const report = JSON.parse(plain.stdout) as { vulnerabilities: Array<{ id: string; severity: string }>; sensitive: Array<{ ruleId: string; severity: string }> };
    expect(report.vulnerabilities.map((v) => `${v.id} ${v.severity}`).sort()).toEqual([`${HIGH_FIXED} high`, `${HIGH_UNFIXED} high`, 'GHSA-wf5p-g6vw-rhxx medium']);
    expect(report.sensitive.map((s) => `${s.ruleId} ${s.severity}`)).toEqual([`${KEY_RULE} critical`]);

    const gated = await scan('--exit-code', '3', '--severity', 'high,critical', '--format', 'table');
    expect(gated.code).toBe(3);
    expect(gated.stderr).toContain('3 finding(s) at high,critical remain');
    expect(gated.stdout).toMatch(/Vulnerabilities \(3: 0 critical, 2 high, 1 medium/);
    // Only medium left when high and critical are asked for nothing: exit 0.
    expect((await scan('--exit-code', '3', '--severity', 'low')).code).toBe(0);
  });

  it('exits 0 once those IDs are in an --ignore-file (aliases and secret rules too), and the ignored stay in the report', async () => {
    const file = await ignoreFile('.trivyignore', `# accepted until the upgrade\n${HIGH_FIXED}\nCVE-2023-42282  # ip: no fix upstream\n${KEY_RULE} exp:2099-01-01\n`);
    const result = await scan('--exit-code', '3', '--severity', 'high,critical', '--ignore-file', file, '--format', 'json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { vulnerabilities: Array<{ id: string }>; ignored: { vulnerabilities: Array<{ item: { id: string }; ignore: { note: string } }>; sensitive: Array<{ item: { ruleId: string }; ignore: { expiresAt: string } }> } };
    expect(report.vulnerabilities.map((v) => v.id)).toEqual(['GHSA-wf5p-g6vw-rhxx']);
    expect(report.ignored.vulnerabilities.map((i) => [i.item.id, i.ignore.note]).sort()).toEqual([[HIGH_FIXED, `${file}:2`], [HIGH_UNFIXED, `${file}:3`]]);
    expect(report.ignored.sensitive.map((i) => [i.item.ruleId, i.ignore.expiresAt])).toEqual([[KEY_RULE, '2099-01-01']]);
  });

  it('an entry whose exp: date has passed counts again', async () => {
    const file = await ignoreFile('expired.trivyignore', `${HIGH_FIXED}\n${HIGH_UNFIXED} exp:2020-01-01\n${KEY_RULE}\n`);
    const result = await scan('--exit-code', '3', '--severity', 'high,critical', '--ignore-file', file);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('1 finding(s) at high,critical remain, 2 ignored');
  });

  it('--ignore-unfixed drops the findings that have no fix', async () => {
    const file = await ignoreFile('fixed-only.trivyignore', `${HIGH_FIXED}\n${KEY_RULE}\n`);
    expect((await scan('--exit-code', '3', '--severity', 'high,critical', '--ignore-file', file)).code).toBe(3);
    const unfixed = await scan('--exit-code', '3', '--severity', 'high,critical', '--ignore-file', file, '--ignore-unfixed', '--format', 'json');
    expect(unfixed.code).toBe(0);
    expect((JSON.parse(unfixed.stdout) as { vulnerabilities: Array<{ id: string }> }).vulnerabilities.map((v) => v.id)).toEqual(['GHSA-wf5p-g6vw-rhxx']);
  });

  it('an ignore file that cannot be read or understood is exit 1 with the reason, and no report', async () => {
    const missing = await scan('--exit-code', '3', '--ignore-file', join(work, 'nope'), '--output', join(work, 'never.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read the ignore file ${join(work, 'nope')}: no such file`);
    expect(missing.stdout).toBe('');
    await expect(readFile(join(work, 'never.json'))).rejects.toThrow(/ENOENT/);
    const locked = await ignoreFile('locked.trivyignore', `${HIGH_FIXED}\n`);
    await chmod(locked, 0o000);
    // root reads any file whatever its mode; a directory is unreadable as a file for everyone.
    const unreadable = await scan('--ignore-file', process.getuid?.() === 0 ? work : locked);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/cannot read the ignore file .*: (it is a directory|permission denied)/);
    const garbled = await scan('--ignore-file', await ignoreFile('bad.trivyignore', `${HIGH_FIXED} exp:tomorrow\n`));
    expect(garbled.code).toBe(1);
    expect(garbled.stderr).toContain('bad.trivyignore:1: exp:tomorrow is not a date YYYY-MM-DD');
  });

  it('never passes the gate on a scan that could not check vulnerabilities (no database)', async () => {
    const empty = join(work, 'no-data');
    const result = await scan('--data-dir', empty, '--exit-code', '3', '--severity', 'high,critical', '--ignore-file', await ignoreFile('all.trivyignore', `${KEY_RULE}\n`));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/not checked: vulnerabilities \(no vulnerability data: run .*db update.*\); the gate cannot pass on an incomplete scan/);
    // Said once, not once per place that noticed.
    expect(result.stderr.match(/vulnerabilities \(no vulnerability/g)).toHaveLength(1);
    // Without a gate the scan itself succeeded: exit 0, and the report says what was not checked.
    expect((await scan('--data-dir', empty)).code).toBe(0);
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema, ignored findings as suppressed results', async () => {
    const file = await ignoreFile('sarif.trivyignore', `${HIGH_FIXED}\n`);
    const out = join(work, 'shipshape.sarif');
    const result = await scan('--format', 'sarif', '--output', out, '--ignore-file', file, '--exit-code', '1', '--severity', 'critical');
    expect(result.code).toBe(1); // the key is critical
    expect(result.stdout).toBe('');
    const sarif = JSON.parse(await readFile(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; status: string }> }> }> };
    expect(sarifErrors(sarif)).toEqual([]);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => r.ruleId).sort()).toEqual([HIGH_FIXED, HIGH_UNFIXED, 'GHSA-wf5p-g6vw-rhxx', KEY_RULE].sort());
    expect(results.filter((r) => r.suppressions).map((r) => [r.ruleId, r.suppressions![0]!.kind, r.suppressions![0]!.status])).toEqual([[HIGH_FIXED, 'external', 'accepted']]);
    // The other formats the helper writes come out of the CLI too.
    const cdx = await scan('--format', 'cyclonedx');
    expect((JSON.parse(cdx.stdout) as { bomFormat: string }).bomFormat).toBe('CycloneDX');
    const spdx = await scan('--format', 'spdx');
    expect((JSON.parse(spdx.stdout) as { spdxVersion: string }).spdxVersion).toBe('SPDX-2.3');
  });
});
