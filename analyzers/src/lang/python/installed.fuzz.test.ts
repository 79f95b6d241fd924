import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedBytes, parsedOrCleanError } from '../../testing/fuzz.ts';
import { parsePythonMetadata } from './installed.ts';

const testdata = join(import.meta.dirname, 'testdata');
const seeds = readdirSync(testdata)
  .filter((f) => /METADATA|PKG-INFO|egg-info$/.test(f))
  .map((f) => readFileSync(join(testdata, f)));

describe('parsePythonMetadata under mutated METADATA / PKG-INFO', () => {
  it('returns one well-formed package or throws a clean Error', async () => {
    expect(seeds.length).toBeGreaterThan(3);
    const cases = await fuzz(
      'PyPI METADATA',
      mutatedBytes(seeds),
      (content) =>
        parsedOrCleanError(
          () => parsePythonMetadata(content),
          (packages) => {
            expect(packages).toHaveLength(1);
            const [p] = packages;
            expect(p!.name).toMatch(/\S/);
            expect(p!.version).toMatch(/\S/);
            expect(p!.purl.startsWith('pkg:pypi/')).toBe(true);
          },
        ),
      { numRuns: 1000 },
    );
    expect(cases).toBe(1000);
  });
});
