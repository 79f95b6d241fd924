import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { gitleaksToml } from './accuracy/corpus.ts';
import { builtinRuleSet } from './builtin-rules.ts';
import { compilePattern, matches, RegexSyntaxError } from './regex-engine.ts';
import { parseRuleFile, type RuleSet } from './rules.ts';

function everyPattern(set: RuleSet) {
  const lists = [...set.allowlists, ...set.rules.flatMap((r) => r.allowlists)];
  return [
    ...set.rules.flatMap((r) => [r.regex, r.path]),
    ...lists.flatMap((a) => [...a.paths, ...a.regexes]),
  ].filter((p) => p !== undefined);
}

describe('regex engine (RE2: linear time, whatever the pattern)', () => {
  // Linear time is structural: RE2 compiles to automata and never backtracks, so every rule
  // (built-in, gitleaks' and any user file) must run on it, never on a JS RegExp. The crafted
  // 1 MB near-miss line per rule is timed in `pnpm bench secrets`.
  it.each([
    ['built-in', builtinRuleSet()],
    ['gitleaks.toml', parseRuleFile(gitleaksToml(), 'gitleaks.toml')],
  ] as const)('every pattern of the %s rules runs on RE2', (_label, set) => {
    const patterns = everyPattern(set);
    expect(patterns.length).toBeGreaterThan(100);
    for (const p of patterns) {
      expect(p.scanner).toBeInstanceOf(RE2);
      expect(p.single).toBeInstanceOf(RE2);
      expect(p.scanner.global).toBe(true);
    }
  });

  it('a pattern that backtracks exponentially in JS is linear here', () => {
    // /(a+)+$/ on "aaaa…b" takes 2^n steps in a backtracking engine; RE2 answers at once.
    const p = compilePattern('(a+)+$');
    expect(matches(p, `${'a'.repeat(5000)}b`)).toBe(false);
  });

  it('RE2 semantics: (?i) scopes, leftmost-first alternation, \\z, byte input, group count', () => {
    expect(matches(compilePattern('(?i)x(?-i:AB)y'), 'XABY')).toBe(true);
    expect(matches(compilePattern('(?i)x(?-i:AB)y'), 'xaby')).toBe(false);
    expect(compilePattern('a|ab').single.exec(Buffer.from('ab'))![0].toString()).toBe('a'); // first alternative, not longest
    expect(matches(compilePattern('a\\z'), 'a\n')).toBe(false);
    expect(matches(compilePattern('^é+$'), Buffer.from('éé'))).toBe(true);
    expect(compilePattern('(a)(?:b)(?P<n>c)').groups).toBe(2);
    expect(compilePattern('no groups').groups).toBe(0);
  });

  it('refuses what RE2 (Go) refuses, and the JS-isms the bindings would otherwise translate', () => {
    for (const bad of ['a**', '(?=a)', '(?<!a)b', '\\1', '(a', 'a)', '*a', 'a{1001}', '[a', '\\cA', '\\u0041', '\\C', '\\p{Script=Greek}']) {
      expect(() => compilePattern(bad), bad).toThrow(RegexSyntaxError);
    }
    expect(() => compilePattern('\\\\cA')).not.toThrow(); // an escaped backslash, then "cA"
  });
});
