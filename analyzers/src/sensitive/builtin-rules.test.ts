import { describe, expect, it } from 'vitest';
import { builtinRuleSet } from './builtin-rules.ts';
import { compilePattern, type CompiledPattern } from './regex-engine.ts';
import { parseRuleFile, RuleFileError } from './rules.ts';

/** Every pattern of the built-in set: rule regexes and paths, their allowlists', the global allowlists'. */
function builtinPatterns(): Array<[string, CompiledPattern]> {
  const set = builtinRuleSet();
  const out: Array<[string, CompiledPattern]> = [];
  const ofAllowlist = (where: string, a: (typeof set.allowlists)[number]) => {
    a.paths.forEach((p, i) => out.push([`${where} path #${i + 1}`, p]));
    a.regexes.forEach((p, i) => out.push([`${where} regex #${i + 1}`, p]));
    if (a.anyPath) out.push([`${where} paths joined`, a.anyPath]);
    if (a.anyRegex) out.push([`${where} regexes joined`, a.anyRegex]);
  };
  for (const rule of set.rules) {
    if (rule.regex) out.push([`${rule.id} regex`, rule.regex]);
    if (rule.path) out.push([`${rule.id} path`, rule.path]);
    rule.allowlists.forEach((a, i) => ofAllowlist(`${rule.id} allowlist #${i + 1}`, a));
  }
  set.allowlists.forEach((a, i) => ofAllowlist(`global allowlist #${i + 1}`, a));
  return out;
}

describe('built-in rules, compiled on first use', () => {
  // The built-in set is loaded with { checked: true }: nothing is compiled at load, so a regex
  // RE2 refuses would only fail mid-scan. This is the check that makes that safe.
  it('every pattern of the built-in set compiles, both its matcher and its scanner', () => {
    const patterns = builtinPatterns();
    expect(patterns.length).toBeGreaterThan(179);
    const failed: string[] = [];
    for (const [where, p] of patterns) {
      try {
        expect(p.single.source.length).toBeGreaterThan(0);
        expect(p.scanner.global).toBe(true);
      } catch (error) {
        failed.push(`${where}: ${(error as Error).message}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('a checked pattern that does not compile fails where it is used; an unchecked one at load', () => {
    expect(() => compilePattern('a++')).toThrow(/a\+\+/);
    const lazy = compilePattern('a++', { checked: true });
    expect(lazy.source).toBe('a++');
    expect(() => lazy.single).toThrow();
    // Go-only syntax is still refused at once, checked or not (it costs no compile).
    expect(() => compilePattern('\\u0041', { checked: true })).toThrow(/not RE2 syntax/);
  });

  it("a user's rule file is still compiled at load, so its errors name the rule at once", () => {
    expect(() => parseRuleFile(`[[rules]]\nid = "bad"\nregex = '''a++'''`, 'my-rules.toml')).toThrow(RuleFileError);
    expect(() => parseRuleFile(`[[rules]]\nid = "bad"\nregex = '''a++'''`, 'my-rules.toml')).toThrow(/my-rules.toml: rule 'bad': regex is not a valid RE2 regex/);
  });

  it('compiled on first use or at load, a pattern matches the same', () => {
    const source = '(?i)api[_-]?key\\s*=\\s*([a-z0-9]{8})';
    const eager = compilePattern(source);
    const lazy = compilePattern(source, { checked: true });
    const input = Buffer.from('x API_KEY = abcd1234 y');
    expect(lazy.groups).toBe(eager.groups);
    expect(String(lazy.single.exec(input))).toBe(String(eager.single.exec(input)));
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  });
});
