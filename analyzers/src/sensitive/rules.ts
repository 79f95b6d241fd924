/**
 * Secret rules in the gitleaks format (https://github.com/gitleaks/gitleaks config): parsed
 * from TOML, regexes translated from RE2 once, at load time. A rule that cannot be translated
 * is dropped with a note rather than failing the whole file.
 */
import { parse as parseToml } from 'smol-toml';
import type { Severity } from '@shipshape/shared';
import type { SensitiveFinding } from '@shipshape/shared';
import { compileRe2 } from './re2-to-js.ts';

export type SensitiveType = SensitiveFinding['type'];

export interface Allowlist {
  description?: string;
  /** OR (default): any criterion allows the finding; AND: all configured criteria must. */
  condition: 'OR' | 'AND';
  paths: RegExp[];
  regexes: RegExp[];
  regexTarget: 'secret' | 'match' | 'line';
  /** Lowercase; a secret containing one is allowed. */
  stopwords: string[];
  /** Global allowlists only: the rules they apply to (all when empty). */
  targetRules: string[];
}

export interface SecretRule {
  id: string;
  description: string;
  /** Absent for path-only rules (the file name is the finding). */
  regex?: RegExp;
  path?: RegExp;
  secretGroup: number;
  /** Minimum Shannon entropy of the secret (0 = no check). */
  entropy: number;
  /** Lowercase; the rule runs only on text containing one (all text when empty). */
  keywords: string[];
  allowlists: Allowlist[];
  /** Shipshape extensions (optional in user files; guessed from the id otherwise). */
  name: string;
  type: SensitiveType;
  severity: Severity;
  recommendation: string;
}

export interface RuleSet {
  rules: SecretRule[];
  allowlists: Allowlist[];
  /** Rules skipped while loading, and why. */
  notes: string[];
}

export class RuleFileError extends Error {
  override name = 'RuleFileError';
}

type Table = Record<string, unknown>;

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// A bad pattern in a file-level allowlist makes the file malformed (RuleFileError, as the
// contract says), not an unexpected Re2SyntaxError; inside a rule it skips that rule.
function compileAllowlistRegex(pattern: string, where: string): RegExp {
  try {
    return compileRe2(pattern);
  } catch (error) {
    throw new RuleFileError(`${where}: invalid regex '${pattern}': ${(error as Error).message}`);
  }
}

function parseAllowlist(raw: Table, where: string): Allowlist {
  const target = asString(raw.regexTarget) ?? 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line') throw new RuleFileError(`${where}: unknown regexTarget '${target}'`);
  const condition = (asString(raw.condition) ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') throw new RuleFileError(`${where}: unknown condition '${condition}'`);
  return {
    description: asString(raw.description),
    condition,
    paths: asStrings(raw.paths).map((p) => compileAllowlistRegex(p, where)),
    regexes: asStrings(raw.regexes).map((p) => compileAllowlistRegex(p, where)),
    regexTarget: target,
    stopwords: asStrings(raw.stopwords).map((s) => s.toLowerCase()),
    targetRules: asStrings(raw.targetRules),
  };
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

function parseRule(raw: Table, index: number): SecretRule {
  const id = asString(raw.id);
  if (!id) throw new RuleFileError(`rule #${index + 1} has no id`);
  const regexSrc = asString(raw.regex);
  const pathSrc = asString(raw.path);
  if (!regexSrc && !pathSrc) throw new RuleFileError(`rule '${id}' has neither regex nor path`);
  const allowlists: Allowlist[] = [];
  // gitleaks accepts both the old single [rules.allowlist] and the newer [[rules.allowlists]].
  if (raw.allowlist && typeof raw.allowlist === 'object') allowlists.push(parseAllowlist(raw.allowlist as Table, `rule '${id}' allowlist`));
  for (const a of Array.isArray(raw.allowlists) ? raw.allowlists : []) allowlists.push(parseAllowlist(a as Table, `rule '${id}' allowlist`));
  const type = TYPES.has(asString(raw.type) ?? '') ? (raw.type as SensitiveType) : guessType(id);
  const severity = SEVERITIES.has(asString(raw.severity) ?? '') ? (raw.severity as Severity) : guessSeverity(type);
  const description = asString(raw.description) ?? id;
  return {
    id,
    description,
    regex: regexSrc ? compileRe2(regexSrc, 'g') : undefined,
    path: pathSrc ? compileRe2(pathSrc) : undefined,
    secretGroup: typeof raw.secretGroup === 'number' ? raw.secretGroup : 0,
    entropy: typeof raw.entropy === 'number' ? raw.entropy : 0,
    keywords: asStrings(raw.keywords).map((k) => k.toLowerCase()),
    allowlists,
    name: asString(raw.name) ?? id,
    type,
    severity,
    recommendation:
      asString(raw.recommendation) ??
      'Remove the secret from the image (use build secrets or runtime injection), then revoke and rotate it: anyone who can pull the image can read it.',
  };
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

/** Parses a gitleaks-format TOML rule file. Throws RuleFileError on a malformed file. */
export function parseRuleFile(text: string, origin = 'rules'): RuleSet {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (error) {
    throw new RuleFileError(`${origin}: invalid TOML: ${tomlProblem(error)}`);
  }
  const notes: string[] = [];
  const rules: SecretRule[] = [];
  const rawRules = Array.isArray(doc.rules) ? (doc.rules as Table[]) : [];
  rawRules.forEach((raw, i) => {
    try {
      rules.push(parseRule(raw, i));
    } catch (error) {
      notes.push(`${origin}: rule '${asString(raw.id) ?? `#${i + 1}`}' skipped: ${(error as Error).message}`);
    }
  });
  const allowlists: Allowlist[] = [];
  if (doc.allowlist && typeof doc.allowlist === 'object') allowlists.push(parseAllowlist(doc.allowlist as Table, `${origin} allowlist`));
  for (const a of Array.isArray(doc.allowlists) ? doc.allowlists : []) allowlists.push(parseAllowlist(a as Table, `${origin} allowlists`));
  const extend = doc.extend as Table | undefined;
  const disabled = new Set(asStrings(extend?.disabledRules));
  return { rules: rules.filter((r) => !disabled.has(r.id)), allowlists, notes };
}

/** Combines rule sets (later rules with the same id replace earlier ones) and drops disabled ids. */
export function mergeRuleSets(sets: RuleSet[], disabledIds: Iterable<string> = []): RuleSet {
  const byId = new Map<string, SecretRule>();
  for (const set of sets) for (const rule of set.rules) byId.set(rule.id, rule);
  for (const id of disabledIds) byId.delete(id);
  return {
    rules: [...byId.values()],
    allowlists: sets.flatMap((s) => s.allowlists),
    notes: sets.flatMap((s) => s.notes),
  };
}
