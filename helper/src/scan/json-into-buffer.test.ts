import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonIntoBuffer } from './json-into-buffer.ts';

const written = (value: object, size = 1 << 20) => {
  const buffer = Buffer.alloc(size);
  const bytes = jsonIntoBuffer(value, buffer);
  return bytes === null ? null : buffer.subarray(0, bytes).toString('utf8');
};

describe('jsonIntoBuffer', () => {
  it('writes the bytes of JSON.stringify for any object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined))))), (value) => {
        expect(written(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a report-shaped object as JSON.stringify does: arrays element by element, non-ASCII text, omitted keys', () => {
    const report = {
      image: { id: 'sha256:abc', tags: ['a:1'] },
      packages: [{ name: 'zlib', version: '1:1.2.13', layer: { diffId: 'sha256:0', createdBy: null } }],
      vulnerabilities: [{ id: 'CVE-1', summary: 'naïve “quotes” \u2028 and 😀', fixedVersions: [] }, undefined],
      notes: [],
      skipped: undefined,
      fn: () => 1,
    };
    expect(written(report)).toBe(JSON.stringify(report));
  });

  it('says null when the value does not fit, whatever the characters take in UTF-8', () => {
    const value = { text: 'é'.repeat(600) }; // 1,200 bytes of UTF-8 in 600 UTF-16 units
    expect(written(value, 1_000)).toBeNull();
    expect(written(value, 1_300)).toBe(JSON.stringify(value));
    expect(written({ list: Array.from({ length: 100 }, (_, i) => `item ${i}`) }, 200)).toBeNull();
  });

  it('leaves values with their own toJSON to JSON.stringify', () => {
    expect(written(new Date(0))).toBeNull();
  });
});
