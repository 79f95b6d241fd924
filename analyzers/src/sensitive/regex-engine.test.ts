import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { gitleaksFixtures, gitleaksToml } from './accuracy/corpus.ts';
import { builtinRuleSet } from './builtin-rules.ts';
import { compilePattern, matches, probeGroups, RegexSyntaxError, withoutCaptures } from './regex-engine.ts';
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
  ] as const)('the group count read from the source is RE2\'s own for every pattern of the %s rules', (_label, set) => {
    const patterns = everyPattern(set);
    const withGroups = patterns.filter((p) => probeGroups(p.source) > 0);
    expect(withGroups.length).toBeGreaterThan(50);
    for (const p of patterns) expect([p.source, p.groups]).toEqual([p.source, probeGroups(p.source)]);
  });

  it('the group count read from the source agrees with RE2 on escapes, classes, named groups and quoted text', () => {
    for (const source of ['(a)(b(c))', '\\(a\\)', '[(](x)', '[]()](x)', '[^]()](x)', '[[:alpha:](](y)', '(?i)(a)', '(?P<n>a)(?<m>b)(?:c)', '\\Q(a)\\E(b)', '(a|(b)|(?:c))*']) {
      expect([source, compilePattern(source).groups]).toEqual([source, probeGroups(source)]);
    }
  });

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

describe('withoutCaptures (the scanning copy of a pattern)', () => {
  it('turns capturing and named groups into non-capturing ones, leaving escapes, classes and flag groups alone', () => {
    expect(withoutCaptures('(a)(?:b)(?P<n>c)(?<m>d)(?i)e(?i:f)')).toBe('(?:a)(?:b)(?:c)(?:d)(?i)e(?i:f)');
    expect(withoutCaptures('\\(x\\)[(][^)(][]()][[:alpha:](]')).toBe('\\(x\\)[(][^)(][]()][[:alpha:](]');
  });
  it('matches exactly where the original matches, for every built-in and gitleaks rule on the fixtures', () => {
    const texts = gitleaksFixtures().flatMap((f) => f.texts).map((t) => Buffer.from(t));
    for (const set of [builtinRuleSet(), parseRuleFile(gitleaksToml(), 'gitleaks.toml')]) {
      for (const rule of set.rules) {
        if (!rule.regex) continue;
        const original = new RE2(Buffer.from(rule.regex.source), 'gu');
        for (const text of texts) {
          original.lastIndex = 0;
          rule.regex.scanner.lastIndex = 0;
          const a = original.exec(text);
          const b = rule.regex.scanner.exec(text);
          expect([b?.index, b?.[0].length], rule.id).toEqual([a?.index, a?.[0].length]);
        }
      }
    }
  });
});
