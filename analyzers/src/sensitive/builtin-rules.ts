/** The built-in rule set (rules/builtin.toml), parsed once per process. */
import { readFileSync } from 'node:fs';
import { parseRuleFile, type RuleSet } from './rules.ts';

let cached: RuleSet | null = null;

export function builtinRuleSet(): RuleSet {
  // Compiled rule by rule on first use: builtin-rules.test.ts compiles every one of them.
  cached ??= parseRuleFile(readFileSync(new URL('./rules/builtin.toml', import.meta.url), 'utf8'), 'built-in rules', { checked: true });
  return cached;
}
