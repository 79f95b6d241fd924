/**
 * Reads a user's gitleaks-format rule file (`--secret-rules FILE`, the detection setting) and
 * resolves it against the built-in set now, so every error (a bad regex, an unknown key, a
 * `targetRules` or `[[rules.required]]` naming no rule, `[extend] path`) is reported at load
 * time, naming the file, the rule and the construct.
 */
import { readFile } from 'node:fs/promises';
import { builtinRuleSet } from './builtin-rules.ts';
import { extendBuiltin } from './rule-sets.ts';
import { parseRuleFile, RuleFileError, type RuleSet } from './rules.ts';

/** The file's rules as a scan uses them: alone, or over the built-in set with `[extend] useDefault = true`. */
export function resolveRuleFile(text: string, origin: string): RuleSet {
  return extendBuiltin(parseRuleFile(text, origin), builtinRuleSet(), origin);
}

export async function loadSecretRuleFile(path: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RuleFileError(`cannot read secret rules ${path}: ${(error as Error).message}`);
  }
  return resolveRuleFile(text, path);
}
