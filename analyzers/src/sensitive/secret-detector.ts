/**
 * The secret detector for a set of options: the rule set (built-in, the user's, or given),
 * less the disabled rules, with the caller's masks. Building one compiles every rule's regex
 * (RE2) and the keyword automaton: hundreds of milliseconds, so a detector is built once per
 * options object and kept (a scan's detection settings are one object until they change).
 */
import { builtinRuleSet } from './builtin-rules.ts';
import { SecretDetector } from './detector.ts';
import { createSecretMask, maskSecret } from './mask.ts';
import { resolveRuleSets, withoutRules } from './rule-sets.ts';
import type { RuleSet } from './rules.ts';

export interface SensitiveAnalyzerOptions {
  /**
   * User rule files (gitleaks TOML, parsed): as in gitleaks they REPLACE the built-in rules,
   * unless a file says `[extend] useDefault = true` (then it adds to them).
   */
  userRuleSets?: RuleSet[];
  /** Rule ids (built-in, user or file rules) to turn off. */
  disabledRules?: string[];
  /** Files above this size are not scanned (default 8 MiB). */
  maxFileSize?: number;
  /** Use exactly these rules (tests, benchmarks). */
  ruleSet?: RuleSet;
  /** Key of the masks' fingerprints (see mask.ts); default a key of this process. */
  maskKey?: Uint8Array;
}

const built = new WeakMap<SensitiveAnalyzerOptions, SecretDetector>();
let withDefaults: SecretDetector | null = null;

/** Builds the detector for the given options (shared with the image-config scan). */
export function secretDetector(opts: SensitiveAnalyzerOptions = {}): SecretDetector {
  const base = opts.ruleSet ?? resolveRuleSets(opts.userRuleSets ?? [], builtinRuleSet());
  return new SecretDetector(withoutRules(base, opts.disabledRules ?? []), opts.maskKey ? createSecretMask(opts.maskKey) : maskSecret);
}

/**
 * The detector for these options, built the first time and kept while the options object lives
 * (no options: one detector of the built-in rules). Detectors hold no per-scan state.
 */
export function keptSecretDetector(opts?: SensitiveAnalyzerOptions): SecretDetector {
  if (!opts) return (withDefaults ??= secretDetector());
  let detector = built.get(opts);
  if (!detector) built.set(opts, (detector = secretDetector(opts)));
  return detector;
}
