import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedBytes, parsedOrCleanError } from '../../testing/fuzz.ts';
import { parseGemspec } from './gemspec.ts';

const testdata = join(import.meta.dirname, 'testdata');
const seeds = ['normal00.gemspec', 'license.gemspec'].map((f) => readFileSync(join(testdata, f)));

describe('parseGemspec under mutated gemspecs', () => {
  it('returns one well-formed package or throws a clean Error', async () => {
    const cases = await fuzz(
      'gemspec',
      mutatedBytes(seeds),
      (content) =>
        parsedOrCleanError(
          () => parseGemspec(content),
          (packages) => {
            expect(packages).toHaveLength(1);
            const [p] = packages;
            expect(p!.name).toMatch(/\S/);
            expect(p!.version).toMatch(/\S/);
            expect(p!.purl.startsWith('pkg:gem/')).toBe(true);
          },
        ),
      { numRuns: 1000 },
    );
    expect(cases).toBe(1000);
  });
});
