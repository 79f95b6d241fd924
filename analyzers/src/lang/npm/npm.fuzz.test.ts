import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedBytes, parsedOrCleanError } from '../../testing/fuzz.ts';
import type { LangPackage } from '../finding.ts';
import { parseInstalledPackage } from './installed.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';

const testdata = join(import.meta.dirname, 'testdata');
const fixtures = (dir: string, pattern: RegExp) =>
  readdirSync(join(testdata, dir))
    .filter((f) => pattern.test(f))
    .map((f) => readFileSync(join(testdata, dir, f)));

// Real package.json manifests: this repository's own, and npm-style ones with licence shapes.
const repo = join(import.meta.dirname, '..', '..', '..', '..');
const manifests = [
  readFileSync(join(repo, 'package.json')),
  readFileSync(join(repo, 'analyzers', 'package.json')),
  Buffer.from(JSON.stringify({ name: '@scope/pkg', version: '1.2.3', license: 'MIT' })),
  Buffer.from(JSON.stringify({ name: 'old', version: '0.0.1', licenses: [{ type: 'BSD', url: 'x' }, 'ISC'] })),
  Buffer.from(JSON.stringify({ name: 'obj', version: '2.0.0-rc.1', license: { type: 'Apache-2.0' } })),
];

function wellFormed(packages: LangPackage[]): void {
  expect(Array.isArray(packages)).toBe(true);
  for (const p of packages) {
    expect(typeof p.name).toBe('string');
    expect(typeof p.version).toBe('string');
    expect(p.name).toMatch(/\S/);
    expect(p.purl.startsWith('pkg:npm/')).toBe(true);
  }
}

const targets: Array<{ name: string; parse: (content: Buffer) => LangPackage[]; seeds: Buffer[] }> = [
  { name: 'package.json', parse: parseInstalledPackage, seeds: manifests },
  { name: 'package-lock.json', parse: parsePackageLock, seeds: fixtures('npm', /\.json$/) },
  { name: 'yarn.lock', parse: parseYarnLock, seeds: fixtures('yarn', /\.lock$/) },
  { name: 'pnpm-lock.yaml', parse: parsePnpmLock, seeds: fixtures('pnpm', /\.yaml$/) },
];

describe('npm manifest and lockfile parsers under mutated input', () => {
  for (const target of targets) {
    it(`${target.name}: well-formed packages or a clean Error`, async () => {
      expect(target.seeds.length).toBeGreaterThan(0);
      const cases = await fuzz(
        target.name,
        mutatedBytes(target.seeds),
        (content) => parsedOrCleanError(() => target.parse(content), wellFormed),
        { numRuns: 400 },
      );
      expect(cases).toBe(400);
    }, 120_000);
  }
});
