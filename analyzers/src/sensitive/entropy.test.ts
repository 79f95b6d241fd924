import { describe, expect, it } from 'vitest';
import { entropyCeiling, shannonEntropy } from './entropy.ts';

describe('entropy', () => {
  it('is gitleaks’ figure: runes counted, divided by bytes', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    // Two runes of two bytes each: frequencies 1/4, so 2 × (¼ · 2) = 1.
    expect(shannonEntropy('éü')).toBe(1);
  });

  it('ASCII and non-ASCII text sum their terms in the same order (same float, to the last bit)', () => {
    const ascii = 'q8Zk2-Lp0_xx9Aq';
    // A trailing non-ASCII rune takes the general path; its term is summed last in both.
    const mixed = Buffer.concat([Buffer.from(ascii), Buffer.from([0xff])]);
    const inv = 1 / mixed.length;
    const counts = new Map<number, number>();
    for (const b of mixed) counts.set(b >= 0x80 ? 0xfffd : b, (counts.get(b >= 0x80 ? 0xfffd : b) ?? 0) + 1);
    let expected = 0;
    for (const n of counts.values()) expected -= n * inv * Math.log2(n * inv);
    expect(shannonEntropy(mixed)).toBe(expected);
  });

  it('entropyCeiling bounds the entropy of every piece of the text', () => {
    const text = Buffer.from('AKIA0123456789abcdefXYZ=+/aaaaaaaaaaQQQQ');
    const ceiling = entropyCeiling(text);
    for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= text.length; j++) expect(shannonEntropy(text.subarray(i, j))).toBeLessThanOrEqual(ceiling + 1e-9);
    expect(entropyCeiling(Buffer.from('aaaa'))).toBe(0);
    expect(entropyCeiling(Buffer.from('€uro'))).toBe(Infinity);
  });
});
