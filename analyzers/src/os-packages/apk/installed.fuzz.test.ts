import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedText } from '../../testing/fuzz.ts';
import { parseApkInstalled } from './installed.ts';

const testdata = join(import.meta.dirname, 'testdata');
const seeds = ['syft-single', 'syft-multiple-1', 'syft-corrupt', 'syft-extra-file-attributes', 'syft-empty-deps-and-provides'].map((d) =>
  readFileSync(join(testdata, d, 'lib/apk/db/installed')),
);

describe('parseApkInstalled under mutated input', () => {
  it('never throws and returns only well-formed packages', async () => {
    const cases = await fuzz(
      'apk installed',
      mutatedText(seeds),
      (text) => {
        const result = parseApkInstalled(text);
        expect(Array.isArray(result.rejected)).toBe(true);
        for (const p of result.packages) {
          expect(p.name).toMatch(/\S/);
          expect(p.version).toMatch(/^\d/);
          expect(typeof p.origin).toBe('string');
        }
      },
      { numRuns: 1000 },
    );
    expect(cases).toBe(1000);
  });
});
