import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedText } from '../testing/fuzz.ts';
import { parseRuleFile, RuleFileError, type RuleSet } from './rules.ts';

// The real gitleaks rule file, cut into small files of a few rules each (parsing all 97 KB
// per case would spend the budget on one seed), plus the builtin rules file.
const gitleaks = readFileSync(join(import.meta.dirname, 'testdata', 'gitleaks', 'gitleaks.toml'), 'utf8');
const [preamble = '', ...ruleBlocks] = gitleaks.split(/^(?=\[\[rules\]\])/m);
const seeds: Buffer[] = [Buffer.from(preamble.slice(0, 4000))];
for (let i = 0; i < ruleBlocks.length; i += 4) seeds.push(Buffer.from(ruleBlocks.slice(i, i + 4).join('')));
const builtin = readFileSync(join(import.meta.dirname, 'rules', 'builtin.toml'));
seeds.push(builtin.subarray(0, 6000));

function wellFormed(set: RuleSet): void {
  for (const note of set.notes) expect(typeof note).toBe('string');
  for (const rule of set.rules) {
    expect(typeof rule.id).toBe('string');
    expect(rule.regex === undefined || typeof rule.regex.source === 'string').toBe(true);
    expect(rule.path === undefined || typeof rule.path.source === 'string').toBe(true);
    expect(rule.regex !== undefined || rule.path !== undefined).toBe(true);
    expect(Number.isInteger(rule.secretGroup)).toBe(true);
    expect(Array.isArray(rule.keywords)).toBe(true);
  }
}

describe('parseRuleFile under mutated gitleaks TOML', () => {
  // Found by this fuzz test (seed 1730932129): an unbalanced `)` in a file-level allowlist path
  // escaped as Re2SyntaxError instead of the documented RuleFileError.
  it('reports a bad file-level allowlist regex as RuleFileError', () => {
    const text = "[allowlist]\npaths = [\n    '''(?:^|/))gradlew(?:\\.bat)?$''',\n]\n";
    expect(() => parseRuleFile(text, 'user')).toThrow(RuleFileError);
    expect(() => parseRuleFile(text, 'user')).toThrow(/user: global allowlist #1: path .* is not a valid RE2 regex/);
  });

  it('refuses a file whose rule allowlist has a bad regex, naming the rule (never a silently weaker rule)', () => {
    const text = "[[rules]]\nid = 'x'\nregex = '''abc'''\n[[rules.allowlists]]\nregexes = ['''a)''']\n";
    expect(() => parseRuleFile(text, 'user')).toThrow(/user: rule 'x' allowlist #1: regex 'a\)' is not a valid RE2 regex/);
  });

  it('returns a well-formed rule set or throws RuleFileError', async () => {
    expect(ruleBlocks.length).toBeGreaterThan(50);
    const cases = await fuzz(
      'gitleaks TOML',
      mutatedText(seeds),
      (text) => {
        let set: RuleSet;
        try {
          set = parseRuleFile(text, 'fuzz');
        } catch (error) {
          if (error instanceof RuleFileError) return;
          throw error;
        }
        wellFormed(set);
      },
      { numRuns: 600 },
    );
    expect(cases).toBe(600);
  });
});
