/**
 * Secret rule files in the gitleaks format (https://github.com/gitleaks/gitleaks, config/*.go),
 * read the way gitleaks reads them: keys are case-insensitive, `[allowlist]` and
 * `[[allowlists]]` (global, optionally `targetRules`), `[rules.allowlist]` and
 * `[[rules.allowlists]]`, `[[rules.required]]`, `skipReport`, and `[extend]`.
 *
 * A file is all or nothing: anything gitleaks would refuse (a regex RE2 rejects, an unknown
 * condition, an empty allowlist, a `secretGroup` past the groups) and anything Shipshape cannot
 * honour (`[extend] path/url`, keys it does not know) is a RuleFileError naming the rule and
 * the construct. A rule is never dropped or weakened silently.
 */
import { parse as parseToml } from 'smol-toml';
import type { Severity, SensitiveFinding } from '@shipshape/shared';
import { compilePattern, RegexSyntaxError, type CompiledPattern, type CompileMode } from './regex-engine.ts';

export type SensitiveType = SensitiveFinding['type'];

export interface Allowlist {
  description?: string;
  /** OR (default): any check allows the finding; AND: every configured check must. */
  condition: 'OR' | 'AND';
  /** Commit SHAs (lower case). Image files have no commit, so as in a gitleaks directory scan these never match. */
  commits: string[];
  paths: CompiledPattern[];
  regexes: CompiledPattern[];
  /** `paths` and `regexes` joined into one alternation each (one RE2 call, as gitleaks does). */
  anyPath?: CompiledPattern;
  anyRegex?: CompiledPattern;
  regexTarget: 'secret' | 'match' | 'line';
  /** Lower case, unique; a secret containing one is allowed. */
  stopwords: string[];
}

/** A rule this rule needs near its finding (gitleaks' composite rules, `[[rules.required]]`). */
export interface RequiredRule {
  id: string;
  withinLines?: number;
  withinColumns?: number;
}

export interface SecretRule {
  id: string;
  description: string;
  /** Absent for path-only rules (the file itself is the finding). */
  regex?: CompiledPattern;
  path?: CompiledPattern;
  secretGroup: number;
  /** Minimum Shannon entropy of the secret (0 = no check; a secret at or below it is dropped). */
  entropy: number;
  /** Lower case; the rule runs only on content containing one (all content when empty). */
  keywords: string[];
  tags: string[];
  allowlists: Allowlist[];
  required: RequiredRule[];
  /** Found only as another rule's required part, never reported alone. */
  skipReport: boolean;
  /** Shipshape extensions (optional in user files; guessed from the id otherwise). */
  name: string;
  type: SensitiveType;
  severity: Severity;
  recommendation: string;
}

export interface RuleSet {
  rules: SecretRule[];
  /** Global allowlists that apply to every rule. */
  allowlists: Allowlist[];
  /** What loading said that the user should know (no-op settings). */
  notes: string[];
  /**
   * `[extend] useDefault = true`: the file adds to the built-in set (minus `disabledRules`)
   * instead of replacing it. Resolved by `resolveRuleSets`.
   */
  extend?: { disabledRules: string[] };
  /** Global allowlists with `targetRules` naming rules of the extended set, attached when extending. */
  targeted?: Array<{ ruleIds: string[]; allowlist: Allowlist }>;
}

export class RuleFileError extends Error {
  override name = 'RuleFileError';
}

type Table = Record<string, unknown>;

const RULE_KEYS = ['id', 'description', 'regex', 'path', 'secretgroup', 'entropy', 'keywords', 'tags', 'allowlist', 'allowlists', 'required', 'skipreport', 'name', 'type', 'severity', 'recommendation'];
const ALLOWLIST_KEYS = ['description', 'condition', 'commits', 'paths', 'regextarget', 'regexes', 'stopwords'];
const TOP_KEYS = ['title', 'description', 'minversion', 'extend', 'rules', 'allowlist', 'allowlists'];
const EXTEND_KEYS = ['usedefault', 'disabledrules', 'path', 'url'];
const REQUIRED_KEYS = ['id', 'withinlines', 'withincolumns'];

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Reads a table the way viper does (keys case-insensitive), refusing keys we do not know. */
class Fields {
  private readonly values = new Map<string, unknown>();
  constructor(
    raw: Table,
    private readonly where: string,
    known: string[],
  ) {
    for (const [key, value] of Object.entries(raw)) {
      const k = key.toLowerCase();
      if (!known.includes(k)) throw new RuleFileError(`${where}: unknown key '${key}' (not a gitleaks setting Shipshape knows; refusing rather than ignoring it)`);
      this.values.set(k, value);
    }
  }
  has(key: string): boolean {
    return this.values.has(key);
  }
  raw(key: string): unknown {
    return this.values.get(key);
  }
  string(key: string): string | undefined {
    const v = this.values.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new RuleFileError(`${this.where}: '${key}' must be a string`);
    return v;
  }
  strings(key: string): string[] {
    const v = this.values.get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new RuleFileError(`${this.where}: '${key}' must be a list of strings`);
    return v as string[];
  }
  number(key: string): number | undefined {
    const v = this.values.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new RuleFileError(`${this.where}: '${key}' must be a number`);
    return Number(v);
  }
  boolean(key: string): boolean | undefined {
    const v = this.values.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new RuleFileError(`${this.where}: '${key}' must be true or false`);
    return v;
  }
  tables(key: string): Table[] {
    const v = this.values.get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isTable)) throw new RuleFileError(`${this.where}: '${key}' must be an array of tables ([[${key}]])`);
    return v;
  }
  table(key: string): Table | undefined {
    const v = this.values.get(key);
    if (v === undefined) return undefined;
    if (!isTable(v)) throw new RuleFileError(`${this.where}: '${key}' must be a table ([${key}])`);
    return v;
  }
}

function compile(source: string, where: string, what: string, mode: CompileMode): CompiledPattern {
  try {
    return compilePattern(source, mode);
  } catch (error) {
    const why = error instanceof RegexSyntaxError ? error.message : String(error);
    throw new RuleFileError(`${where}: ${what} is not a valid RE2 regex: ${why}`);
  }
}

function parseAllowlist(raw: Table, where: string, mode: CompileMode, extraKeys: string[] = []): { allowlist: Allowlist; fields: Fields } {
  const f = new Fields(raw, where, [...ALLOWLIST_KEYS, ...extraKeys]);
  const condition = (f.string('condition') ?? '').toUpperCase();
  let cond: Allowlist['condition'];
  if (condition === 'AND' || condition === '&&') cond = 'AND';
  else if (condition === '' || condition === 'OR' || condition === '||') cond = 'OR';
  else throw new RuleFileError(`${where}: unknown condition '${f.string('condition')}' (expected AND or OR)`);
  const target = f.string('regextarget') ?? '';
  if (target !== '' && target !== 'secret' && target !== 'match' && target !== 'line') {
    throw new RuleFileError(`${where}: unknown regexTarget '${target}' (expected secret, match or line)`);
  }
  const allowlist: Allowlist = {
    ...(f.string('description') !== undefined ? { description: f.string('description') } : {}),
    condition: cond,
    commits: [...new Set(f.strings('commits').map((c) => c.trim().toLowerCase()))],
    paths: f.strings('paths').map((p) => compile(p, where, `path '${p}'`, mode)),
    regexes: f.strings('regexes').map((p) => compile(p, where, `regex '${p}'`, mode)),
    regexTarget: target === '' ? 'secret' : target,
    stopwords: [...new Set(f.strings('stopwords').map((s) => s.toLowerCase()))],
  };
  if (allowlist.paths.length > 0) allowlist.anyPath = compilePattern(allowlist.paths.map((p) => `(?:${p.source})`).join('|'), mode);
  if (allowlist.regexes.length > 0) allowlist.anyRegex = compilePattern(allowlist.regexes.map((p) => `(?:${p.source})`).join('|'), mode);
  if (!allowlist.commits.length && !allowlist.paths.length && !allowlist.regexes.length && !allowlist.stopwords.length) {
    throw new RuleFileError(`${where}: an allowlist must contain at least one of commits, paths, regexes or stopwords`);
  }
  return { allowlist, fields: f };
}

/** Guesses the finding type of a rule written without Shipshape's extra fields. */
export function guessType(id: string): SensitiveType {
  const s = id.toLowerCase();
  if (/private-key|privatekey|pkcs12|ssh-key|pem/.test(s)) return 'private_key';
  if (/password|passwd|pwd/.test(s)) return 'password';
  if (/token|pat\b|jwt|webhook/.test(s)) return 'token';
  return 'credential';
}

function guessSeverity(type: SensitiveType): Severity {
  return type === 'private_key' ? 'critical' : type === 'config' ? 'medium' : 'high';
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'unknown']);
const TYPES = new Set(['credential', 'private_key', 'token', 'password', 'config']);
const DEFAULT_RECOMMENDATION =
  'Remove the secret from the image (use build secrets or runtime injection), then revoke and rotate it: anyone who can pull the image can read it.';

function parseRule(raw: Table, index: number, origin: string, extending: boolean, mode: CompileMode): SecretRule {
  const idGuess = isTable(raw) && typeof (raw.id ?? raw.ID) === 'string' ? String(raw.id ?? raw.ID) : `#${index + 1}`;
  const where = `${origin}: rule '${idGuess}'`;
  const f = new Fields(raw, where, RULE_KEYS);
  const id = f.string('id') ?? '';
  if (id.trim() === '') throw new RuleFileError(`${origin}: rule #${index + 1} has no id`);
  const regexSrc = f.string('regex') ?? '';
  const pathSrc = f.string('path') ?? '';
  const regex = regexSrc ? compile(regexSrc, where, 'regex', mode) : undefined;
  const path = pathSrc ? compile(pathSrc, where, 'path', mode) : undefined;
  const secretGroup = f.number('secretgroup') ?? 0;
  if (!Number.isInteger(secretGroup) || secretGroup < 0) throw new RuleFileError(`${where}: secretGroup must be a whole number ≥ 0`);
  const entropy = f.number('entropy') ?? 0;
  if (!Number.isFinite(entropy)) throw new RuleFileError(`${where}: entropy must be a number`);
  if (f.has('allowlist') && f.has('allowlists')) throw new RuleFileError(`${where}: [rules.allowlist] cannot be used alongside [[rules.allowlists]]`);
  const rawAllowlists = f.has('allowlist') ? [f.table('allowlist')!] : f.tables('allowlists');
  const allowlists = rawAllowlists.map((a, i) => parseAllowlist(a, `${where} allowlist #${i + 1}`, mode).allowlist);
  const required = f.tables('required').map((r, i) => {
    const rf = new Fields(r, `${where} required #${i + 1}`, REQUIRED_KEYS);
    const rid = rf.string('id') ?? '';
    if (rid === '') throw new RuleFileError(`${where}: [[rules.required]] #${i + 1} has no id`);
    const withinLines = rf.number('withinlines');
    const withinColumns = rf.number('withincolumns');
    return { id: rid, ...(withinLines !== undefined ? { withinLines } : {}), ...(withinColumns !== undefined ? { withinColumns } : {}) };
  });
  const typeField = f.string('type');
  if (typeField !== undefined && !TYPES.has(typeField)) throw new RuleFileError(`${where}: type must be one of ${[...TYPES].join(', ')}`);
  const type = (typeField as SensitiveType | undefined) ?? guessType(id);
  const severityField = f.string('severity');
  if (severityField !== undefined && !SEVERITIES.has(severityField)) throw new RuleFileError(`${where}: severity must be one of ${[...SEVERITIES].join(', ')}`);
  const rule: SecretRule = {
    id,
    description: f.string('description') ?? id,
    ...(regex ? { regex } : {}),
    ...(path ? { path } : {}),
    secretGroup,
    entropy,
    keywords: [...new Set(f.strings('keywords').map((k) => k.toLowerCase()))],
    tags: f.strings('tags'),
    allowlists,
    required,
    skipReport: f.boolean('skipreport') ?? false,
    name: f.string('name') ?? id,
    type,
    severity: (severityField as Severity | undefined) ?? guessSeverity(type),
    recommendation: f.string('recommendation') ?? DEFAULT_RECOMMENDATION,
  };
  // A rule of a file that extends the built-in set may only change a built-in rule of the same id:
  // it is checked once merged (as gitleaks validates after extending).
  if (!extending) validateRule(rule, origin);
  return rule;
}

/**
 * What is wrong and where, never the text: the TOML parser's message quotes the offending
 * lines, and a file read by mistake (or on purpose, through the API) must not be echoed back.
 */
function tomlProblem(error: unknown): string {
  const e = error as { message?: string; line?: number; column?: number };
  const what = (e.message ?? 'unreadable').split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
  return typeof e.line === 'number' ? `${what} at line ${e.line}, column ${e.column ?? 0}` : what;
}

/** gitleaks' Rule.Validate: the rule must do something, and secretGroup must exist. */
export function validateRule(rule: SecretRule, origin: string): void {
  const where = `${origin}: rule '${rule.id}'`;
  if (!rule.regex && !rule.path) throw new RuleFileError(`${where}: both regex and path are empty, the rule would have no effect`);
  if (rule.regex && rule.secretGroup > rule.regex.groups) throw new RuleFileError(`${where}: secretGroup ${rule.secretGroup} but the regex has ${rule.regex.groups} group(s)`);
  if (!rule.regex && rule.secretGroup > 0) throw new RuleFileError(`${where}: secretGroup without a regex`);
}

/** Attaches targeted global allowlists to their rules; a target that does not exist is an error (as in gitleaks). */
export function attachTargeted(rules: SecretRule[], targeted: NonNullable<RuleSet['targeted']>, origin: string): SecretRule[] {
  const byId = new Map(rules.map((r) => [r.id, { ...r, allowlists: [...r.allowlists] }]));
  for (const { ruleIds, allowlist } of targeted) {
    for (const id of ruleIds) {
      const rule = byId.get(id);
      if (!rule) throw new RuleFileError(`${origin}: [[allowlists]] targetRules names '${id}', which is not a rule`);
      rule.allowlists.push(allowlist);
    }
  }
  return [...byId.values()];
}

/** Checks that every `[[rules.required]]` names a rule of the set. */
export function checkRequired(rules: SecretRule[], origin: string): void {
  const ids = new Set(rules.map((r) => r.id));
  for (const rule of rules) {
    for (const r of rule.required) {
      if (!ids.has(r.id)) throw new RuleFileError(`${origin}: rule '${rule.id}': [[rules.required]] names '${r.id}', which is not a rule`);
    }
  }
}

/**
 * Parses a gitleaks-format TOML rule file. Throws RuleFileError naming the rule and construct.
 * `checked`: the file's regexes are known to compile, and are compiled on first use (CompileMode).
 */
export function parseRuleFile(text: string, origin = 'rules', mode: CompileMode = { checked: false }): RuleSet {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (error) {
    throw new RuleFileError(`${origin}: invalid TOML: ${tomlProblem(error)}`);
  }
  const top = new Fields(doc, origin, TOP_KEYS);
  const notes: string[] = [];

  const extendTable = top.table('extend');
  const extend = extendTable ? new Fields(extendTable, `${origin}: [extend]`, EXTEND_KEYS) : null;
  if (extend?.string('path')) {
    throw new RuleFileError(`${origin}: [extend] path is not supported: copy the rules of '${extend.string('path')}' into this file, or use [extend] useDefault = true to build on the built-in rules`);
  }
  if (extend?.string('url')) throw new RuleFileError(`${origin}: [extend] url is not supported (gitleaks does not implement it either)`);
  const useDefault = extend?.boolean('usedefault') ?? false;
  const disabledRules = extend?.strings('disabledrules') ?? [];

  // Rules: a later rule with the same id replaces the earlier one (gitleaks keeps a map by id).
  const byId = new Map<string, SecretRule>();
  top.tables('rules').forEach((raw, i) => {
    const rule = parseRule(raw, i, origin, useDefault, mode);
    byId.set(rule.id, rule);
  });
  let rules = [...byId.values()];

  if (top.has('allowlist') && top.has('allowlists')) throw new RuleFileError(`${origin}: [allowlist] cannot be used alongside [[allowlists]]`);
  const rawGlobal = top.has('allowlist') ? [top.table('allowlist')!] : top.tables('allowlists');
  const allowlists: Allowlist[] = [];
  const targeted: NonNullable<RuleSet['targeted']> = [];
  rawGlobal.forEach((raw, i) => {
    const { allowlist, fields } = parseAllowlist(raw, `${origin}: global allowlist #${i + 1}`, mode, ['targetrules']);
    const targets = fields.strings('targetrules');
    if (targets.length > 0) targeted.push({ ruleIds: targets, allowlist });
    else allowlists.push(allowlist);
  });


  if (useDefault) {
    // Targets and required rules may live in the built-in set: checked when the sets are combined.
    return { rules, allowlists, notes, extend: { disabledRules }, targeted };
  }
  if (disabledRules.length > 0) {
    notes.push(`${origin}: [extend] disabledRules has no effect without useDefault = true (as in gitleaks); use the disabled-rules setting to turn rules off`);
  }
  rules = attachTargeted(rules, targeted, origin);
  checkRequired(rules, origin);
  return { rules, allowlists, notes };
}
