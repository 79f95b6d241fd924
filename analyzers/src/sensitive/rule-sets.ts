/**
 * Which rules a scan uses, by gitleaks' convention for a user's rule file: the file REPLACES
 * the built-in set, unless it says `[extend] useDefault = true`, in which case it extends the
 * built-in set (config.go `extend`): built-in rules minus `disabledRules`; a rule id present on
 * both sides keeps the built-in rule with the file's non-empty description, entropy,
 * secretGroup, regex and path, and both sides' keywords, tags and allowlists; global allowlists
 * of both apply. Several files (the CLI's repeated `--secret-rules`) are each resolved so, then
 * combined (a later file's rule replaces an earlier one with the same id).
 */
import { attachTargeted, checkRequired, validateRule, type RuleSet, type SecretRule } from './rules.ts';

function extendRule(base: SecretRule, mine: SecretRule): SecretRule {
  return {
    ...base,
    description: mine.description !== mine.id ? mine.description : base.description,
    entropy: mine.entropy !== 0 ? mine.entropy : base.entropy,
    secretGroup: mine.secretGroup !== 0 ? mine.secretGroup : base.secretGroup,
    ...(mine.regex ? { regex: mine.regex } : {}),
    ...(mine.path ? { path: mine.path } : {}),
    tags: [...base.tags, ...mine.tags],
    keywords: [...new Set([...base.keywords, ...mine.keywords])],
    allowlists: [...base.allowlists, ...mine.allowlists],
    required: [...base.required, ...mine.required],
  };
}

/** One user file on top of the built-in set, as gitleaks loads a file with `[extend] useDefault`. */
export function extendBuiltin(file: RuleSet, builtin: RuleSet, origin: string): RuleSet {
  if (!file.extend) return file;
  const disabled = new Set(file.extend.disabledRules);
  const notes = [...file.notes];
  const builtinIds = new Set(builtin.rules.map((r) => r.id));
  for (const id of disabled) if (!builtinIds.has(id)) notes.push(`${origin}: [extend] disabledRules names '${id}', which is not a built-in rule`);
  const byId = new Map<string, SecretRule>();
  for (const rule of file.rules) byId.set(rule.id, rule);
  for (const base of builtin.rules) {
    if (disabled.has(base.id)) continue;
    const mine = byId.get(base.id);
    byId.set(base.id, mine ? extendRule(base, mine) : base);
  }
  const rules = attachTargeted([...byId.values()], file.targeted ?? [], origin);
  for (const rule of rules) validateRule(rule, origin);
  checkRequired(rules, origin);
  return { rules, allowlists: [...file.allowlists, ...builtin.allowlists], notes: [...builtin.notes, ...notes] };
}

/** The rule set of a scan: built-in when there is no user file, else the user files resolved and combined. */
export function resolveRuleSets(userSets: RuleSet[], builtin: RuleSet, origins: string[] = []): RuleSet {
  if (userSets.length === 0) return builtin;
  const resolved = userSets.map((s, i) => extendBuiltin(s, builtin, origins[i] ?? 'rules'));
  if (resolved.length === 1) return resolved[0]!;
  const byId = new Map<string, SecretRule>();
  for (const set of resolved) for (const rule of set.rules) byId.set(rule.id, rule);
  return {
    rules: [...byId.values()],
    allowlists: resolved.flatMap((s) => s.allowlists),
    notes: [...new Set(resolved.flatMap((s) => s.notes))],
  };
}

/** The set without the given rule ids (the disabled-rules setting). */
export function withoutRules(set: RuleSet, ids: Iterable<string>): RuleSet {
  const off = new Set(ids);
  if (off.size === 0) return set;
  return { ...set, rules: set.rules.filter((r) => !off.has(r.id)) };
}
