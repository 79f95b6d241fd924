import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affectingEntries, isAffected } from '@shipshape/analyzers/match/index.ts';
import { fuzz, mutatedText } from '@shipshape/analyzers/testing/fuzz.ts';
import { extraOsvSeedTexts, osvSeedTexts } from '@shipshape/analyzers/testing/osv-seeds.ts';
import { advisoryFixtures } from '../testing/fixtures.ts';
import { convertAlpineSecdb } from './alpine-secdb.ts';
import { parseOsvText, type SourceItem } from './parsed.ts';

const osvSeeds = [...osvSeedTexts(), ...extraOsvSeedTexts].map((text) => Buffer.from(text));

/** Every node of a JSON value, as a path. */
function nodePaths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const here = [path];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => nodePaths(v, [...path, i])));
  if (value && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([k, v]) => nodePaths(v, [...path, k])));
  return here;
}

// Structural mutation: one node of a real record replaced by any JSON value (wrong types,
// nulls, huge nesting), so the text still parses and the validator itself is exercised.
const structurallyMutated = fc
  .tuple(fc.nat({ max: osvSeeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 3 }))
  .map(([seed, replacements]) => {
    let root: unknown = JSON.parse(osvSeeds[seed]!.toString('utf8'));
    for (const [at, value] of replacements) {
      const paths = nodePaths(root);
      const path = paths[at % paths.length]!;
      if (path.length === 0) root = value;
      else {
        let node = root as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[path[path.length - 1]!] = value;
      }
    }
    return JSON.stringify(root);
  });

/** A usable record must survive matching: the matcher trusts what import let through. */
function checkItem(item: SourceItem): void {
  if ('problem' in item) {
    expect(item.problem).toMatch(/\S/);
    return;
  }
  expect(typeof item.record.id).toBe('string');
  for (const entry of item.record.affected ?? []) {
    const pkg = entry.package;
    if (!pkg) continue;
    const versions = [...(entry.versions ?? []), ...(entry.ranges ?? []).flatMap((r) => r.events.flatMap((e) => Object.values(e) as unknown[]))];
    for (const version of ['1.0.0', ...versions.slice(0, 3).map(String)]) {
      const query = { ecosystem: pkg.ecosystem, name: pkg.name, version };
      expect(isAffected(item.record, query)).toBe(affectingEntries(item.record, query).length > 0);
    }
  }
}

describe('OSV import under mutated JSON', () => {
  it('parseOsvText: a checked record that matching accepts, or a problem; never a throw', async () => {
    const outcomes = { records: 0, problems: 0 };
    const cases = await fuzz(
      'OSV JSON import',
      fc.oneof(mutatedText(osvSeeds), structurallyMutated),
      (text) => {
        const item = parseOsvText(text, 'fuzz');
        outcomes['problem' in item ? 'problems' : 'records']++;
        checkItem(item);
      },
      { numRuns: 1500 },
    );
    expect(cases).toBe(1500);
    console.log(`  outcomes: ${outcomes.records} records, ${outcomes.problems} problems`);
  });

  it('convertAlpineSecdb: records or problems for mutated secdb files; never a throw', async () => {
    const seeds = ['v3.10-main.json', 'v3.10-community.json'].map((f) => readFileSync(join(advisoryFixtures, 'alpine-secdb', f)));
    const cases = await fuzz(
      'Alpine secdb import',
      mutatedText(seeds),
      (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return; // the reader reports invalid JSON before conversion
        }
        const converted = convertAlpineSecdb(value, 'fuzz', '2024-01-01T00:00:00Z');
        expect(converted.notAffected).toBeGreaterThanOrEqual(0);
        converted.items.forEach(checkItem);
      },
      { numRuns: 300 },
    );
    expect(cases).toBe(300);
  });
});
