import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mavenScheme } from './maven.ts';
import { antisymmetric, choices, equalityConsistent, picker, signedCompare, transitive } from './order-properties.ts';
import { readTsv } from './testdata.ts';

const compare = signedCompare(mavenScheme);
const RUNS = 2000;

// Real versions: every version of OSV-Scanner's Maven chains (advisory versions of real packages).
const realVersions = fc.constantFrom(...new Set(readTsv('osv-scalibr/maven-versions-generated.tsv').flatMap((v) => [v.a, v.b])));

const number = fc.oneof(fc.constantFrom(0, 1, 2, 9, 10, 20240131), fc.nat({ max: 99 })).map(String);
const qualifier = fc.constantFrom('alpha', 'a', 'beta', 'b', 'milestone', 'm', 'M', 'rc', 'RC', 'cr', 'snapshot', 'SNAPSHOT', 'ga', 'GA', 'final', 'Final', 'release', 'RELEASE', 'sp', 'SP', 'jboss', 'android', 'jre', 'foo');
const releaseNumbers = fc.array(number, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));

/** A release, then qualifiers and numbers each joined with one of `separators`. */
function versionWith(separators: string[]): fc.Arbitrary<string> {
  const part = fc.oneof(qualifier, number, fc.tuple(qualifier, number).map(([q, n]) => q + n));
  return fc
    .tuple(releaseNumbers, fc.array(fc.tuple(fc.constantFrom(...separators), part), { maxLength: 3 }))
    .map(([release, parts]) => release + parts.map(([sep, p]) => sep + p).join(''));
}

// Qualifiers after `-` or glued to a number (a transition reads as `-`): how real Maven
// versions write them, and where Maven 3's order is transitive.
const hyphenated = versionWith(['-', '']);
// Dotted qualifiers too (`1.0.Final`, `1.SP1`): Maven 3 itself is cyclic on some mixes of these
// with hyphenated ones (maven.test.ts pins two cycles), so they are not used for transitivity.
const anyStyle = versionWith(['-', '', '.']);
const junk = fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: fc.constantFrom('0', '1', '.', '-', 'a', 'rc', 'sp', 'ga', 'x', 'é', '٣'), maxLength: 10 }));

// Two spellings of one version, which Maven reads as equal: case, leading zeros, aliases
// (cr = rc; ga = final = release), `a1` = `alpha1` = `alpha-1`, and trailing nulls.
const SYNONYMS = [['alpha'], ['beta'], ['milestone'], ['rc', 'cr'], ['snapshot'], ['ga', 'final', 'release'], ['sp'], ['jboss']];
const SHORT: Record<string, string> = { alpha: 'a', beta: 'b', milestone: 'm' };
type Part = { sep: string; group: number | null; n: string | null };
const partModel: fc.Arbitrary<Part> = fc.record({
  sep: fc.constantFrom('-', '.'),
  group: fc.option(fc.nat({ max: SYNONYMS.length - 1 }), { nil: null }),
  n: fc.option(number, { nil: null }),
});

function spell(release: string[], parts: Part[], trailing: string, pick: fc.Stream<number>): string {
  const choose = picker(pick);
  const num = (n: string) => '0'.repeat(choose([0, 0, 1, 2])) + n;
  const cased = (word: string) => choose([word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]);
  let out = release.map(num).join('.');
  for (const { sep, group, n } of parts) {
    if (group === null) {
      if (n !== null) out += sep + num(n);
      continue;
    }
    const word = choose(SYNONYMS[group]!);
    if (n === null) out += sep + cased(word);
    else if (SHORT[word] && choose([true, false])) out += sep + cased(SHORT[word]) + num(n);
    else out += sep + cased(word) + choose(['', '-']) + num(n);
  }
  return out + trailing;
}

const equalSpellings: fc.Arbitrary<[string, string]> = fc
  .tuple(
    fc.array(number, { minLength: 1, maxLength: 4 }),
    fc.array(partModel, { maxLength: 3 }),
    fc.constantFrom('', '.0', '-0', '.0.0', '-ga', '.final', '-0.0'),
    fc.constantFrom('', '.0', '-0', '-GA', '.RELEASE'),
    choices,
  )
  .map(([release, parts, trailingA, trailingB, pick]) => [spell(release, parts, trailingA, pick), spell(release, parts, trailingB, pick)]);

describe('Maven order properties (fast-check; FUZZ_SEED=random explores)', () => {
  it('is antisymmetric and reflexive on any string', async () => {
    expect(await antisymmetric('Maven', compare, fc.oneof(realVersions, anyStyle, junk), RUNS)).toBe(RUNS);
  });
  it('is transitive on triples of real advisory versions', async () => {
    expect(await transitive('Maven real versions', compare, realVersions, RUNS)).toBe(RUNS);
  });
  it('is transitive on generated triples of hyphenated versions', async () => {
    expect(await transitive('Maven hyphenated', compare, fc.oneof(hyphenated, realVersions), RUNS)).toBe(RUNS);
  });
  it('treats equal versions alike against any other version', async () => {
    const others = fc.oneof(realVersions, anyStyle, junk, equalSpellings.map(([a]) => a));
    expect(await equalityConsistent('Maven', compare, equalSpellings, others, RUNS)).toBe(RUNS);
  });
});
