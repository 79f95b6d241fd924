import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rpmScheme } from './rpm.ts';
import { antisymmetric, choices, equalityConsistent, picker, signedCompare, transitive } from './order-properties.ts';

const compare = signedCompare(rpmScheme);
const RUNS = 2000;

// EVR-shaped strings, several `-` and `:` included (the split must take the last `-`), with
// `~` / `^`, separators rpmvercmp skips, and a space; then any string at all.
const evrLike = fc
  .tuple(
    fc.option(fc.nat({ max: 3 }), { nil: undefined }),
    fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '10', '007', 'a', 'b', 'Z', 'rc', 'el8', 'p', '.', '_', '+', '-', '-', ':', '~', '^', ' '), maxLength: 12 }),
  )
  .map(([epoch, rest]) => (epoch === undefined ? rest : `${epoch}:${rest}`));
const anyString = fc.string({ maxLength: 16 });

// Two spellings of one EVR, which rpm reads as equal: separators between segments are any run
// of non-alphanumerics (a digit/letter change needs none), leading zeros, a trailing separator,
// and a missing epoch written `0:`, `00:` or an empty `:`. `~` and `^` are kept as written.
type Segment = { kind: 'number'; value: string } | { kind: 'word'; value: string } | { kind: 'mark'; value: '~' | '^' };
const segment: fc.Arbitrary<Segment> = fc.oneof(
  fc.nat({ max: 120 }).map((n) => ({ kind: 'number' as const, value: String(n) })),
  fc.constantFrom('a', 'b', 'rc', 'el', 'fc', 'git', 'Z').map((value) => ({ kind: 'word' as const, value })),
  fc.constantFrom('~' as const, '^' as const).map((value) => ({ kind: 'mark' as const, value })),
);
const segments = (min: number) => fc.array(segment, { minLength: min, maxLength: 5 });

function spellSegments(parts: Segment[], pick: fc.Stream<number>): string {
  const choose = picker(pick);
  let out = '';
  parts.forEach((part, i) => {
    const previous = parts[i - 1];
    // Two words or two numbers in a row need a separator, or they would read as one segment.
    const needsSeparator = previous !== undefined && previous.kind !== 'mark' && previous.kind === part.kind;
    if (i > 0) out += choose(needsSeparator ? ['.', '_', '+', '..', '._'] : ['', '.', '_', '+', '..']);
    out += part.kind === 'number' ? '0'.repeat(choose([0, 0, 1, 2])) + part.value : part.value;
  });
  return out + choose(['', '', '.', '_']);
}

function spellEvr(epoch: number, version: Segment[], release: Segment[] | null, pick: fc.Stream<number>): string {
  const choose = picker(pick);
  const e = epoch === 0 ? choose(['', '0:', '00:', ':']) : `${'0'.repeat(choose([0, 1]))}${epoch}:`;
  return e + spellSegments(version, pick) + (release === null ? '' : `-${spellSegments(release, pick)}`);
}

const equalSpellings: fc.Arbitrary<[string, string]> = fc
  .tuple(fc.constantFrom(0, 0, 1, 12), segments(1), fc.option(segments(0), { nil: null }), choices)
  .map(([epoch, version, release, pick]) => [spellEvr(epoch, version, release, pick), spellEvr(epoch, version, release, pick)]);

describe('rpm order properties (fast-check; FUZZ_SEED=random explores)', () => {
  it('is antisymmetric and reflexive on any string', async () => {
    expect(await antisymmetric('rpm', compare, fc.oneof(evrLike, anyString), RUNS)).toBe(RUNS);
  });
  it('is transitive on generated triples', async () => {
    expect(await transitive('rpm', compare, fc.oneof(evrLike, equalSpellings.map(([a]) => a), anyString), RUNS)).toBe(RUNS);
  });
  it('treats equal versions alike against any other version', async () => {
    const others = fc.oneof(evrLike, equalSpellings.map(([a]) => a), anyString);
    expect(await equalityConsistent('rpm', compare, equalSpellings, others, RUNS)).toBe(RUNS);
  });
});
