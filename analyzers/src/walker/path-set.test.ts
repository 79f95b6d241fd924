import { describe, expect, it } from 'vitest';
import { PathSet, PathSetBuilder, pathHash } from './path-set.ts';

describe('PathSet', () => {
  it('answers membership exactly for the paths it was given, after an encode/decode round trip', () => {
    const paths = Array.from({ length: 20_000 }, (_, i) => `/usr/lib/node_modules/p${i % 97}/f${i}.js`);
    const set = PathSet.decode(PathSet.encode([...paths, ...paths.slice(0, 100)]));
    expect(set.size).toBe(20_000);
    for (const path of paths) expect(set.has(path)).toBe(true);
    for (let i = 0; i < 20_000; i++) expect(set.has(`/usr/lib/node_modules/p${i % 97}/f${i}.ts`)).toBe(false);
  });

  it('is empty when nothing was added, and grows past its first block', () => {
    expect(PathSet.decode(new PathSetBuilder().encode()).has('/')).toBe(false);
    const builder = new PathSetBuilder();
    for (let i = 0; i < 5000; i++) builder.add(`/f${i}`);
    const set = PathSet.decode(builder.encode());
    expect([set.has('/f0'), set.has('/f4999'), set.has('/f5000')]).toEqual([true, true, false]);
  });

  it('hashes to distinct 53-bit integers (no collision in a million neighbouring names)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1_000_000; i++) {
      const h = pathHash(`/data/d${i % 500}/f${i}.txt`);
      expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBe(1_000_000);
  });

  it('costs 8 bytes a path when encoded (base64: 4/3 of that)', () => {
    expect(PathSet.encode(Array.from({ length: 3000 }, (_, i) => `/x/${i}`)).length).toBe(32_000);
  });
});
