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
    expect(rule.regex === undefined || rule.regex instanceof RegExp).toBe(true);
    expect(rule.path === undefined || rule.path instanceof RegExp).toBe(true);
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
    expect(() => parseRuleFile(text, 'user')).toThrow(/user allowlist: invalid regex/);
  });

  it('skips a rule whose own allowlist has a bad regex, with a note', () => {
    const text = "[[rules]]\nid = 'x'\nregex = '''abc'''\n[[rules.allowlists]]\nregexes = ['''a)''']\n";
    const set = parseRuleFile(text, 'user');
    expect(set.rules).toHaveLength(0);
    expect(set.notes.join('\n')).toMatch(/rule 'x' skipped/);
  });

  it('returns a well-formed rule set (bad rules as notes) or throws RuleFileError', async () => {
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
