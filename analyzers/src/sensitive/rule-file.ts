/** Reads a user's gitleaks-format rule file (`--secret-rules FILE`), with a clear error. */
import { readFile } from 'node:fs/promises';
import { parseRuleFile, RuleFileError, type RuleSet } from './rules.ts';

export async function loadSecretRuleFile(path: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RuleFileError(`cannot read secret rules ${path}: ${(error as Error).message}`);
  }
  return parseRuleFile(text, path);
}
