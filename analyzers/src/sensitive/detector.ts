/**
 * Runs a gitleaks-format rule set over text, with gitleaks' semantics: keyword prefilter,
 * optional path condition, secret = `secretGroup` or the first non-empty capture group,
 * minimum entropy (generic rules also need a digit), then rule and global allowlists.
 */
import { AhoCorasick } from '../malware/aho-corasick.ts';
import { shannonEntropy } from './entropy.ts';
import type { Allowlist, RuleSet, SecretRule } from './rules.ts';
import { maskSecret, type SecretMask } from './mask.ts';

export interface SecretHit {
  rule: SecretRule;
  /** The secret itself: callers mask it before it leaves the analyzer. */
  secret: string;
  /** 1-based line of the match start (null for path-only rules). */
  line: number | null;
}

/** A regex that keeps matching one file past this many matches is cut off (runaway generic rules). */
const MAX_MATCHES_PER_RULE = 1000;

function allowed(list: Allowlist, path: string, secret: string, match: string, line: () => string): boolean {
  const pathOk = list.paths.some((re) => re.test(path));
  const target = list.regexTarget === 'match' ? match : list.regexTarget === 'line' ? line() : secret;
  const regexOk = list.regexes.some((re) => re.test(target));
  const lower = secret.toLowerCase();
  const stopOk = list.stopwords.some((w) => lower.includes(w));
  if (list.condition === 'AND') {
    const checks: boolean[] = [];
    if (list.paths.length) checks.push(pathOk);
    if (list.regexes.length) checks.push(regexOk);
    if (list.stopwords.length) checks.push(stopOk);
    return checks.length > 0 && checks.every(Boolean);
  }
  return pathOk || regexOk || stopOk;
}

class LineIndex {
  private starts: number[] | null = null;
  constructor(private readonly text: string) {}
  private build(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.starts = starts);
  }
  lineOf(offset: number): number {
    const s = this.build();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  textOf(line: number): string {
    const s = this.build();
    const start = s[line - 1] ?? 0;
    const end = s[line] ?? this.text.length + 1;
    return this.text.slice(start, end - 1);
  }
}

export class SecretDetector {
  private readonly keywords: AhoCorasick;
  /** keyword id → rules that list it */
  private readonly rulesByKeyword: SecretRule[][];
  private readonly alwaysRun: SecretRule[];
  /** Paths of global OR-allowlists: a matching path allows every finding, so the file is skipped unread. */
  private readonly pathOnlyGlobal: RegExp[];

  /** `mask` is how this detector's callers show a secret (findings, redacted build steps). */
  constructor(
    readonly ruleSet: RuleSet,
    readonly mask: SecretMask = maskSecret,
  ) {
    const ids = new Map<string, number>();
    this.rulesByKeyword = [];
    this.alwaysRun = [];
    for (const rule of ruleSet.rules) {
      if (!rule.regex) continue;
      if (rule.keywords.length === 0) this.alwaysRun.push(rule);
      for (const k of rule.keywords) {
        let id = ids.get(k);
        if (id === undefined) {
          id = ids.size;
          ids.set(k, id);
          this.rulesByKeyword.push([]);
        }
        this.rulesByKeyword[id]!.push(rule);
      }
    }
    this.keywords = new AhoCorasick([...ids.keys()], { caseInsensitive: true });
    this.pathOnlyGlobal = ruleSet.allowlists
      .filter((a) => a.targetRules.length === 0 && a.condition === 'OR')
      .flatMap((a) => a.paths);
  }

  /** True when a global allowlist excludes the path outright (checked before reading the file). */
  pathAllowed(path: string): boolean {
    return this.pathOnlyGlobal.some((re) => re.test(path));
  }

  /** Path-only rules (e.g. `*.p12` files) that match this path. */
  pathHits(path: string): SecretHit[] {
    return this.ruleSet.rules
      .filter((r) => !r.regex && r.path?.test(path))
      .filter((r) => !this.isAllowed(r, path, path, path, () => ''))
      .map((rule) => ({ rule, secret: path, line: null }));
  }

  /** Rules whose keywords occur in the content (plus rules without keywords). */
  candidateRules(content: Uint8Array): SecretRule[] {
    const present = this.keywords.present(content);
    const set = new Set<SecretRule>(this.alwaysRun);
    for (let k = 0; k < present.length; k++) if (present[k]) for (const r of this.rulesByKeyword[k]!) set.add(r);
    return [...set];
  }

  /** Scans text content (callers skip binaries). `path` is the file's path in the image. */
  scan(content: Buffer, path: string): SecretHit[] {
    const rules = this.candidateRules(content);
    if (rules.length === 0) return [];
    return this.scanString(content.toString('latin1'), path, rules);
  }

  /** Scans a string with every rule (or the given candidates). */
  scanString(text: string, path: string, rules?: SecretRule[]): SecretHit[] {
    const candidates = rules ?? this.candidateRules(Buffer.from(text, 'latin1'));
    const lines = new LineIndex(text);
    const hits: SecretHit[] = [];
    const seen = new Set<string>();
    for (const rule of candidates) {
      if (!rule.regex) continue;
      if (rule.path && !rule.path.test(path)) continue;
      const re = rule.regex;
      re.lastIndex = 0;
      let count = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex++;
        if (++count > MAX_MATCHES_PER_RULE) break;
        const secret = this.secretOf(rule, m);
        if (secret === null) continue;
        if (rule.entropy > 0) {
          if (shannonEntropy(secret) <= rule.entropy) continue;
          // gitleaks: generic rules also need a digit, or English words pass the entropy bar.
          if (rule.id.startsWith('generic') && !/\d/.test(secret)) continue;
        }
        // The line of the secret, not of the match start (a rule may consume the previous newline).
        const line = lines.lineOf(m.index + Math.max(0, m[0].indexOf(secret)));
        if (this.isAllowed(rule, path, secret, m[0], () => lines.textOf(line))) continue;
        const key = `${rule.id}\0${line}\0${secret}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push({ rule, secret, line });
      }
    }
    return hits;
  }

  private secretOf(rule: SecretRule, m: RegExpExecArray): string | null {
    if (m.length < 2) return m[0];
    if (rule.secretGroup > 0) return m[rule.secretGroup] ?? null;
    for (let g = 1; g < m.length; g++) if (m[g]) return m[g]!;
    return m[0];
  }

  private isAllowed(rule: SecretRule, path: string, secret: string, match: string, line: () => string): boolean {
    if (rule.allowlists.some((a) => allowed(a, path, secret, match, line))) return true;
    return this.ruleSet.allowlists.some(
      (a) => (a.targetRules.length === 0 || a.targetRules.includes(rule.id)) && allowed(a, path, secret, match, line),
    );
  }
}
