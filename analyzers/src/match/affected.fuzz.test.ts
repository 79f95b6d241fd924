import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzz } from '../testing/fuzz.ts';
import { extraOsvSeedTexts, osvSeedTexts } from '../testing/osv-seeds.ts';
import { affectingEntries, isAffected } from './affected.ts';
import type { OsvRecord, PackageQuery } from './osv.ts';

const seeds = [...osvSeedTexts(), ...extraOsvSeedTexts].map((text) => JSON.parse(text) as OsvRecord);

/** Paths to every string leaf of a JSON value. */
function stringPaths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function setAt(root: unknown, path: Array<string | number>, value: string): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

// Version-shaped strings (epochs, tildes, pre-releases, revisions) and arbitrary text.
const versionLike = fc.oneof(
  fc
    .tuple(
      fc.option(fc.nat({ max: 3 }), { nil: undefined }),
      fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom('', '-rc1', '~beta', '-r0', '_p1', '+build.5', '-1ubuntu2', '.post1', 'a1', '-', '..', ':'),
    )
    .map(([epoch, parts, suffix]) => `${epoch === undefined ? '' : `${epoch}:`}${parts.join('.')}${suffix}`),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '0', '*', 'v1', 'latest', '1.0.0-', '1..2', '٣.٤'),
);

// Type-preserving mutation: records keep the OSV shape import validation guarantees; their
// strings (versions, events, ecosystems, names, range types) become anything.
const mutatedRecord = fc
  .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), versionLike), { minLength: 1, maxLength: 6 }), versionLike)
  .map(([seed, replacements, version]) => {
    const record = structuredClone(seeds[seed]!);
    const paths = stringPaths(record).filter((p) => p[0] === 'affected' || p[0] === 'withdrawn');
    for (const [at, value] of replacements) if (paths.length > 0) setAt(record, paths[at % paths.length]!, value);
    return { record, version };
  });

function queriesFor(record: OsvRecord, version: string): PackageQuery[] {
  return (record.affected ?? []).flatMap((entry) => {
    const pkg = entry.package;
    if (!pkg) return [];
    const own = [...(entry.versions ?? []), ...(entry.ranges ?? []).flatMap((r) => r.events.flatMap((e) => Object.values(e) as string[]))];
    return [version, ...own.slice(0, 4)].map((v) => ({ ecosystem: pkg.ecosystem, name: pkg.name, version: String(v) }));
  });
}

describe('isAffected on mutated OSV records', () => {
  it('answers a boolean for every query and never throws', async () => {
    expect(seeds.length).toBeGreaterThan(30);
    const answers = { affected: 0, notAffected: 0 };
    const cases = await fuzz(
      'OSV isAffected',
      mutatedRecord,
      ({ record, version }) => {
        for (const query of queriesFor(record, version)) {
          const entries = affectingEntries(record, query);
          for (const entry of entries) expect(record.affected).toContain(entry);
          const affected = isAffected(record, query);
          expect(affected).toBe(entries.length > 0);
          answers[affected ? 'affected' : 'notAffected']++;
        }
      },
      { numRuns: 1000 },
    );
    expect(cases).toBe(1000);
    console.log(`  answers: ${answers.affected} affected, ${answers.notAffected} not affected`);
    expect(answers.affected).toBeGreaterThan(0);
  });
});
