import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedText } from '../../testing/fuzz.ts';
import { parseDpkgStatus } from './status.ts';

const testdata = join(import.meta.dirname, 'testdata');
const seeds = [
  'trivy-valid/var/lib/dpkg/status',
  'trivy-corrupsed/var/lib/dpkg/status',
  'trivy-third-party/var/lib/dpkg/status',
  'syft-status.d/multiple',
  'syft-status.d/corrupt',
  'syft-status.d/coreutils-relationships',
].map((p) => readFileSync(join(testdata, p)));

describe('parseDpkgStatus under mutated input', () => {
  it('never throws and returns only well-formed packages', async () => {
    const cases = await fuzz(
      'dpkg status',
      mutatedText(seeds),
      (text) => {
        const result = parseDpkgStatus(text);
        expect(Array.isArray(result.rejected)).toBe(true);
        for (const p of result.packages) {
          expect(p.name).toMatch(/\S/);
          expect(p.version).toMatch(/^(?:\d+:)?[0-9]/);
          expect(typeof p.sourceName).toBe('string');
          expect(typeof p.sourceVersion).toBe('string');
        }
      },
      { numRuns: 1000 },
    );
    expect(cases).toBe(1000);
  });
});
