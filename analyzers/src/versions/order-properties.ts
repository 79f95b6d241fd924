/**
 * Test helper for the version-order property tests (`<scheme>.fuzz.test.ts`): the laws a
 * comparator must obey for range matching to mean anything, checked with fast-check through the
 * shared `fuzz` runner (a fixed seed by default, FUZZ_SEED=random to explore). Comparisons go
 * through the scheme's own parse and compare, not the string cache, whose `a === b` shortcut
 * would hide a comparator that fails to find a version equal to itself.
 */
import * as fc from 'fast-check';
import { expect } from 'vitest';
import { fuzz } from '../testing/fuzz.ts';
import type { VersionScheme } from './scheme.ts';

export type Compare = (a: string, b: string) => -1 | 0 | 1;

export function signedCompare<T>(scheme: VersionScheme<T>): Compare {
  return (a, b) => {
    const r = scheme.compare(scheme.parse(a), scheme.parse(b));
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  };
}

const show = (...versions: string[]): string => versions.map((v) => JSON.stringify(v)).join(' vs ');

/** a = a, and a against b is the mirror of b against a. */
export function antisymmetric(name: string, compare: Compare, versions: fc.Arbitrary<string>, numRuns: number): Promise<number> {
  return fuzz(
    `${name} antisymmetry`,
    fc.tuple(versions, versions),
    ([a, b]) => {
      expect(compare(a, a), show(a, a)).toBe(0);
      expect(compare(a, b), show(a, b)).toBe(0 - compare(b, a)); // 0 - x: +0, not -0
    },
    { numRuns },
  );
}

const PERMUTATIONS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
] as const;

/**
 * x <= y and y <= z imply x <= z, for every ordering of each generated triple (so every triple
 * tests something: some ordering of it always meets the premise). Returns the number of triples.
 */
export function transitive(name: string, compare: Compare, versions: fc.Arbitrary<string>, numRuns: number): Promise<number> {
  return fuzz(
    `${name} transitivity`,
    fc.tuple(versions, versions, versions),
    (triple) => {
      for (const [i, j, k] of PERMUTATIONS) {
        const [x, y, z] = [triple[i], triple[j], triple[k]];
        if (compare(x, y) <= 0 && compare(y, z) <= 0) expect(compare(x, z), `${show(x, y, z)}: x <= y <= z but x > z`).toBeLessThanOrEqual(0);
      }
    },
    { numRuns },
  );
}

/**
 * Equal versions are interchangeable: each generated pair (two spellings of one version, which
 * must compare equal) compares the same way against any third version.
 */
export function equalityConsistent(
  name: string,
  compare: Compare,
  equalPairs: fc.Arbitrary<[string, string]>,
  others: fc.Arbitrary<string>,
  numRuns: number,
): Promise<number> {
  return fuzz(
    `${name} equality consistency`,
    fc.tuple(equalPairs, others),
    ([[a, b], x]) => {
      expect(compare(a, b), `${show(a, b)} should be equal`).toBe(0);
      expect(compare(a, x), `${show(a, x)} against ${show(b, x)}`).toBe(compare(b, x));
    },
    { numRuns },
  );
}

/** Draws from a fast-check stream of naturals (shrinkable and replayable with the seed): `choose(options)`. */
export function picker(stream: fc.Stream<number>): <T>(options: readonly T[]) => T {
  return (options) => options[stream.next().value % options.length]!;
}

/** A stream of choices for `picker`. */
export const choices = fc.infiniteStream(fc.nat({ max: 1000 }));
