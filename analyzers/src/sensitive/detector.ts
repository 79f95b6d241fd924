/**
 * Runs a gitleaks-format rule set over a file the way gitleaks' detector does (detect/detect.go,
 * read at b58d3f1): keyword prefilter, global and per-rule path allowlists, path-only and
 * path+regex rules, every non-overlapping regex match, the match trimmed of newlines, the
 * secret taken by matching the rule again on that match (`secretGroup`, else the first
 * non-empty group), `gitleaks:allow` on the line, entropy, global then rule allowlists
 * (secret/match/line targets, OR/AND, stopwords) and composite rules (`[[rules.required]]`);
 * `preferSpecific` is gitleaks' report filter (generic findings yield to specific ones).
 *
 * Everything works on bytes (a file's content as it is), with RE2 (linear time) for every regex.
 */
import { AhoCorasick } from '../malware/aho-corasick.ts';
import { entropyCeiling, shannonEntropy } from './entropy.ts';
import { KeywordHits } from './keyword-hits.ts';
import { keywordReach, type KeywordReach } from './keyword-reach.ts';
import { FOLD_ONLY_BYTES } from './regex-ast.ts';
import { anchoredScanner, execBytes, type CompiledPattern } from './regex-engine.ts';
import type { Allowlist, RuleSet, SecretRule } from './rules.ts';
import { maskSecret, type SecretMask } from './mask.ts';
import { joinNear, lowerBound, NewlineIndex, scanWindows } from './scan-windows.ts';
import { SecretSpans } from './secret-span.ts';
import { builtinPlan } from './rule-plans.ts';
import { startProfile, type StartProfile } from './start-profile.ts';

export interface SecretHit {
  rule: SecretRule;
  /** The secret itself (UTF-8): callers mask it before it leaves the analyzer. */
  secret: string;
  /** 1-based line of the secret (null for path-only rules). */
  line: number | null;
  /** gitleaks' StartLine of the match (what its generic-precedence filter compares). */
  matchLine: number | null;
}

/** Called with each stretch of a file [from, to) a rule's regex is run on (tests check the windows). */
export type SearchObserver = (rule: SecretRule, from: number, to: number) => void;

export interface ScanResult {
  hits: SecretHit[];
  /** Rules that stopped after MAX_MATCHES_PER_RULE matches in this content. */
  truncated: string[];
}

/** A rule that keeps matching one file past this many matches is cut off (and the scan says so). */
export const MAX_MATCHES_PER_RULE = 1000;

const ALLOW_SIGNATURE = Buffer.from('gitleaks:allow');
const NEWLINE = 0x0a;

/** One finding as gitleaks builds it, before the generic-precedence filter. */
interface Finding {
  rule: SecretRule;
  secret: Buffer;
  /** Absolute offset of the secret (for our 1-based line). */
  secretAt: number;
  /** gitleaks' StartLine and StartColumn (its own counting, used for proximity and precedence). */
  startLine: number;
  startColumn: number;
}

const test = (p: CompiledPattern, input: Buffer | string): boolean =>
  p.single.test(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);

function pathAllowed(list: Allowlist, path: string): boolean {
  return path !== '' && list.anyPath !== undefined && test(list.anyPath, path);
}

/** gitleaks' checkCommitOrPathAllowed: allowlists that exclude a whole file by its path (no commits here). */
function fileAllowed(lists: Allowlist[], path: string): boolean {
  if (path === '') return false;
  for (const a of lists) {
    if (a.condition === 'AND') {
      if (a.regexes.length > 0 || a.stopwords.length > 0) continue; // decided per finding
      const checks: boolean[] = [];
      if (a.commits.length > 0) checks.push(false);
      if (a.paths.length > 0) checks.push(pathAllowed(a, path));
      if (checks.every(Boolean)) return true;
    } else if (pathAllowed(a, path)) {
      return true;
    }
  }
  return false;
}

/** The line a finding is on, with its checks memoised: many matches on one long line must not rescan it each time. */
interface LineView {
  length: number;
  /** Does the line contain `gitleaks:allow`? */
  allowSigned(): boolean;
  test(p: CompiledPattern): boolean;
}

/** gitleaks' checkFindingAllowed. */
function findingAllowed(lists: Allowlist[], path: string, secret: Buffer, match: Buffer, line: LineView): boolean {
  let lowerSecret: string | null = null;
  for (const a of lists) {
    let regexOk: boolean;
    const any = a.anyRegex;
    if (!any) regexOk = false;
    else if (a.regexTarget === 'line') regexOk = line.length > 0 && line.test(any);
    else {
      const target = a.regexTarget === 'match' ? match : secret;
      regexOk = target.length > 0 && test(any, target);
    }
    let stopOk = false;
    if (a.stopwords.length > 0 && secret.length > 0) {
      lowerSecret ??= secret.toString('utf8').toLowerCase();
      const s = lowerSecret;
      stopOk = a.stopwords.some((w) => s.includes(w));
    }
    let allowed: boolean;
    if (a.condition === 'AND') {
      const checks: boolean[] = [];
      if (a.commits.length > 0) checks.push(false);
      if (a.paths.length > 0) checks.push(pathAllowed(a, path));
      if (a.regexes.length > 0) checks.push(regexOk);
      if (a.stopwords.length > 0) checks.push(stopOk);
      allowed = checks.every(Boolean);
    } else {
      allowed = regexOk || stopOk;
    }
    if (allowed) return true;
  }
  return false;
}

/**
 * Allowlists that drop a finding whatever its secret: OR lists whose regexes look at the match
 * or the line. Checked before a long match's secret is extracted (that re-match is the costly part).
 */
function allowedWhateverTheSecret(lists: Allowlist[], match: Buffer, line: LineView): boolean {
  for (const a of lists) {
    if (a.condition !== 'OR' || !a.anyRegex || a.regexTarget === 'secret') continue;
    if (a.regexTarget === 'line' ? line.length > 0 && line.test(a.anyRegex) : match.length > 0 && test(a.anyRegex, match)) return true;
  }
  return false;
}

/** How many sorted offsets are < x (upper = false) or ≤ x (upper = true). */
function countBelow(n: Int32Array, x: number, upper: boolean): number {
  let lo = 0;
  let hi = n.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (upper ? n[mid]! <= x : n[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Newline offsets of a buffer, computed once per file and only when a rule matched or a window needs them. */
class Lines {
  private readonly views = new Map<string, LineView>();
  /** [tailFrom, tailStop) holds no \n or \r, and tailStop is one or the end (see stopAfter). */
  private tailFrom = -1;
  private tailStop = -1;
  readonly newlines: NewlineIndex;
  constructor(private readonly raw: Buffer) {
    this.newlines = new NewlineIndex(raw);
  }

  /** The line slice [start, end) as a memoised view (one scan per line and check, whatever the matches). */
  view(start: number, end: number): LineView {
    const key = `${start}:${end}`;
    let v = this.views.get(key);
    if (!v) {
      const buf = this.raw.subarray(start, end);
      let signed: boolean | undefined;
      const tests = new Map<CompiledPattern, boolean>();
      v = {
        length: buf.length,
        allowSigned: () => (signed ??= buf.includes(ALLOW_SIGNATURE)),
        test: (p) => {
          let r = tests.get(p);
          if (r === undefined) tests.set(p, (r = test(p, buf)));
          return r;
        },
      };
      this.views.set(key, v);
    }
    return v;
  }

  private offsets(): Int32Array {
    return this.newlines.offsets();
  }

  /**
   * The first \n or \r at or after `from` (or the end). Remembered: many matches on a long last
   * line must not each walk to its end.
   */
  private stopAfter(from: number): number {
    if (from >= this.tailFrom && from <= this.tailStop) return this.tailStop;
    const raw = this.raw;
    let i = from;
    while (i < raw.length && raw[i] !== NEWLINE && raw[i] !== 0x0d) i++;
    this.tailFrom = from;
    this.tailStop = i;
    return i;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    return countBelow(this.offsets(), offset - 1, true) + 1;
  }

  /**
   * gitleaks' location() for a match [start, end): its StartLine and StartColumn and the
   * `Line` it checks `gitleaks:allow` and line allowlists against. Quirks kept on purpose: the
   * line slice starts at the previous newline (included), and a match after the last newline
   * gets the text from offset 0.
   */
  locate(start: number, end: number): { startLine: number; startColumn: number; line: LineView } {
    const raw = this.raw;
    const real = this.offsets();
    const n = real.length > 0 ? real : Int32Array.of(raw.length);
    const j = countBelow(n, start, true);
    let startLine: number;
    let startColumn: number;
    let startIdx = 0;
    let endIdx: number;
    if (j < n.length) {
      const prev = j === 0 ? 0 : n[j - 1]!;
      startLine = j;
      startColumn = start - prev + 1;
      startIdx = prev;
      const jj = countBelow(n, end, false);
      endIdx = jj >= j && jj < n.length ? n[jj]! : n[j]!;
    } else {
      const prev = n[n.length - 1]!;
      startLine = n.length;
      startColumn = start - prev + 1;
      endIdx = this.stopAfter(end);
    }
    if (end > endIdx) endIdx = end;
    return { startLine, startColumn, line: this.view(startIdx, endIdx) };
  }

}

/** Width of the UTF-8 sequence at i (1 for ASCII and invalid bytes), for stepping past an empty match. */
function runeWidth(b: Buffer, i: number): number {
  const c = b[i];
  if (c === undefined || c < 0xc0) return 1;
  return c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/**
 * What a rule's regex and keywords give (its reach, its start profile), computed once per
 * compiled regex and keyword list: rule sets share compiled patterns, and detectors are many.
 */
function memoPerRule<T>(compute: (source: string, keywords: string[]) => T): (rule: SecretRule) => T {
  const cache = new WeakMap<CompiledPattern, Map<string, T>>();
  return (rule) => {
    const regex = rule.regex!;
    let byKeywords = cache.get(regex);
    if (!byKeywords) cache.set(regex, (byKeywords = new Map()));
    const key = rule.keywords.join('\0');
    if (!byKeywords.has(key)) byKeywords.set(key, compute(regex.source, rule.keywords));
    return byKeywords.get(key)!;
  };
}
// The built-in rules' reach and profile were proved when builtin.toml was written (rule-plans.ts).
const reachOf = memoPerRule<KeywordReach | null>((source, keywords) => {
  const plan = builtinPlan(source, keywords);
  return plan ? plan.reach : keywordReach(source, keywords);
});
const profileOf = memoPerRule<StartProfile | null>((source, keywords) => {
  const plan = builtinPlan(source, keywords);
  return plan ? plan.profile : startProfile(source, keywords);
});

/** Records one match [start, start + length) of a rule; false when the rule is cut off. */
type MatchSink = (start: number, length: number) => boolean;

const isGeneric = (id: string) => id.toLowerCase().includes('generic');

/**
 * gitleaks' report filter (detect/utils.go `filter`): a finding of a generic rule (an id
 * containing "generic") is dropped when a specific rule found a secret containing it on the
 * same line. Applied to what is reported; `scan` itself returns every rule's findings, as
 * gitleaks' per-rule detection (and its rule fixtures) sees them.
 */
export function preferSpecific(hits: SecretHit[]): SecretHit[] {
  return hits.filter(
    (f) =>
      !isGeneric(f.rule.id) ||
      !hits.some((o) => o.matchLine === f.matchLine && o.rule.id !== f.rule.id && !isGeneric(o.rule.id) && o.secret.includes(f.secret)),
  );
}

/** What one file's scan shares between its rules. */
interface FileScan {
  raw: Buffer;
  path: string;
  lines: Lines;
  hits: KeywordHits;
  /** False when the file holds a character RE2 folds onto an ASCII letter (the reach proofs then do not hold). */
  windowsHold: boolean;
  truncated: string[];
  onSearch?: SearchObserver;
}

/** Matches longer than this are checked for a verdict that needs no secret before it is extracted. */
const PRECHECKED_MATCH = 256;

/** Rounding room between entropyCeiling's log2(k) and the summed entropy it bounds. */
const ENTROPY_MARGIN = 1e-9;

/** Windows closer than this are run as one (a regex call costs about what scanning this many bytes does). */
const JOIN_GAP = 256;

/** More keyword hits than one per this many bytes: the rule's windows would cover the file anyway. */
const DENSE_HIT_SPACING = 16;

/**
 * Searching from profile-fitting starts must keep pace with a plain search: once its checks,
 * literal searches and anchored regex runs have cost more than START_BUDGET_FACTOR times the bytes
 * passed (plus START_BUDGET_SLACK), the rest of the window is searched the plain way. Dense
 * candidates (a line of nothing but a rule's prefix) then cost a few calls more than the plain
 * search, never a call per candidate. Costs are in bytes a regex search reads; a call to RE2
 * costs about RE2_CALL_COST of them, an indexOf for the next literal about INDEXOF_COST.
 */
const START_BUDGET_FACTOR = 1;
const START_BUDGET_SLACK = 4096;
const RE2_CALL_COST = 512;
const INDEXOF_COST = 64;

/** Keyword automata by keyword list, the last few kept: a detector is built per scan, and building one is most of its cost. */
const automata = new Map<string, AhoCorasick>();
const KEPT_AUTOMATA = 8;

/** The rule keywords, then FOLD_ONLY_BYTES, in one case-insensitive automaton (immutable, so shared). */
function keywordAutomaton(keywords: string[]): AhoCorasick {
  const key = keywords.join('\0');
  let ac = automata.get(key);
  if (!ac) {
    ac = new AhoCorasick([...keywords.map((k) => Buffer.from(k, 'utf8')), ...FOLD_ONLY_BYTES], { caseInsensitive: true });
    if (automata.size >= KEPT_AUTOMATA) automata.delete(automata.keys().next().value!);
    automata.set(key, ac);
  }
  return ac;
}

export class SecretDetector {
  private readonly keywords: AhoCorasick;
  /** keyword id → rules that list it */
  private readonly rulesByKeyword: SecretRule[][];
  private readonly alwaysRun: SecretRule[];
  private readonly byId: Map<string, SecretRule>;
  /** Ids of the FOLD_ONLY_BYTES sequences in the keyword automaton (found in the same pass). */
  private readonly foldIds: number[];
  /** Per rule: its keyword ids, and how far its matches reach around them (null: scanned whole). */
  private readonly keywordIds = new Map<SecretRule, number[]>();
  /** Keyword → its id in the automaton. */
  private readonly keywordId: Map<string, number>;
  /**
   * Worked out on a rule's first use (most rules are never run on an image: their keywords do
   * not occur), not when the detector is built: building one per worker is on every scan's path.
   */
  private readonly reach = new Map<SecretRule, KeywordReach | null>();
  /** Per rule: what its matches start with, and the id of the keyword they start with (-1: none); null: no profile (or not used). */
  private readonly starts = new Map<SecretRule, { profile: StartProfile; keywordId: number } | null>();
  private readonly startProfiles: boolean;
  private readonly startSlack: number;
  /** Where the secret lies in matches seen before (ordinary files repeat lines). */
  private readonly spans = new SecretSpans();
  private readonly pathOnlyRules: SecretRule[];
  /** The last path pathAllowed was asked about, and its answer. */
  private allowedPath: { path: string; answer: boolean } | null = null;

  /**
   * `mask` is how this detector's callers show a secret (findings, redacted build steps).
   * `startProfiles: false` searches every window from its start, and `startSlack` replaces
   * START_BUDGET_SLACK (tests compare them all: 0 makes every window switch to the plain search early).
   */
  constructor(
    readonly ruleSet: RuleSet,
    readonly mask: SecretMask = maskSecret,
    options: { startProfiles?: boolean; startSlack?: number } = {},
  ) {
    const ids = new Map<string, number>();
    this.rulesByKeyword = [];
    this.alwaysRun = [];
    this.byId = new Map(ruleSet.rules.map((r) => [r.id, r]));
    for (const rule of ruleSet.rules) {
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
      this.keywordIds.set(rule, rule.keywords.map((k) => ids.get(k)!));
    }
    this.keywordId = ids;
    this.startSlack = options.startSlack ?? START_BUDGET_SLACK;
    this.startProfiles = options.startProfiles !== false;
    this.pathOnlyRules = ruleSet.rules.filter((r) => !r.regex && r.path);
    this.foldIds = FOLD_ONLY_BYTES.map((_b, i) => ids.size + i);
    this.keywords = keywordAutomaton([...ids.keys()]);
  }

  /** What every match of the rule starts with, when the detector uses it to skip starts that cannot match. */
  startProfileOf(rule: SecretRule): StartProfile | null {
    return this.startsOf(rule)?.profile ?? null;
  }

  /** How far the rule's matches reach around its keywords, or null when it is run over whole files. */
  reachOf(rule: SecretRule): KeywordReach | null {
    let reach = this.reach.get(rule);
    if (reach === undefined) this.reach.set(rule, (reach = rule.regex && this.keywordIds.has(rule) ? reachOf(rule) : null));
    return reach;
  }

  private startsOf(rule: SecretRule): { profile: StartProfile; keywordId: number } | null {
    let starts = this.starts.get(rule);
    if (starts === undefined) {
      const profile = this.startProfiles && rule.regex && this.keywordIds.has(rule) ? profileOf(rule) : null;
      starts = profile ? { profile, keywordId: profile.keyword === null ? -1 : this.keywordId.get(profile.keyword)! } : null;
      this.starts.set(rule, starts);
    }
    return starts;
  }

  /** True when a global allowlist excludes the path outright (checked before reading the file). */
  pathAllowed(path: string): boolean {
    // Asked about one file several times in a row (required, pathHits, scan): answered once.
    if (this.allowedPath?.path !== path) this.allowedPath = { path, answer: fileAllowed(this.ruleSet.allowlists, path) };
    return this.allowedPath.answer;
  }

  /** True when a path-only rule could report this path (the file must then be read, even a binary). */
  hasPathRule(path: string): boolean {
    return this.pathOnlyRules.some((r) => test(r.path!, path));
  }

  /** Path-only rules (e.g. `*.p12` files) that report this path; content is needed only for their keywords. */
  pathHits(path: string, content: Uint8Array = new Uint8Array(0)): SecretHit[] {
    if (this.pathAllowed(path)) return [];
    const named = this.ruleSet.rules.filter((r) => !r.regex && r.path && !r.skipReport && !fileAllowed(r.allowlists, path) && test(r.path, path));
    if (named.length === 0) return []; // the usual case: no keyword pass over the content
    const candidates = new Set(this.candidateRules(content));
    return named.filter((r) => candidates.has(r)).map((rule) => ({ rule, secret: path, line: null, matchLine: null }));
  }

  /** Rules whose keywords occur in the content (plus rules without keywords). */
  candidateRules(content: Uint8Array): SecretRule[] {
    const present = this.keywords.present(content);
    return this.candidatesOf({ has: (k) => present[k] === 1 });
  }

  private candidatesOf(present: { has(keyword: number): boolean }): SecretRule[] {
    const set = new Set<SecretRule>(this.alwaysRun);
    for (let k = 0; k < this.rulesByKeyword.length; k++) if (present.has(k)) for (const r of this.rulesByKeyword[k]!) set.add(r);
    // In the rule set's order: findings come out in it, and the analyzer keeps the first rule per secret.
    return set.size === this.ruleSet.rules.length ? this.ruleSet.rules : this.ruleSet.rules.filter((r) => set.has(r));
  }

  /** Scans a file's content (callers skip binaries). `path` is the file's path in the image ('' for none). */
  scan(content: Uint8Array, path: string): SecretHit[] {
    return this.scanDetailed(content, path).hits;
  }

  /** Scans text (encoded as UTF-8). */
  scanString(text: string, path: string): SecretHit[] {
    return this.scan(Buffer.from(text, 'utf8'), path);
  }

  /** Regex rules only (path-only rules are `pathHits`), with the rules that were cut off. */
  scanDetailed(content: Uint8Array, path: string, onSearch?: SearchObserver): ScanResult {
    const raw = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const truncated: string[] = [];
    if (this.pathAllowed(path)) return { hits: [], truncated };
    const lines = new Lines(raw);
    const hits = new KeywordHits(this.keywords, raw, Math.floor(raw.length / DENSE_HIT_SPACING) + 1);
    const file: FileScan = {
      raw,
      path,
      lines,
      hits,
      windowsHold: this.foldIds.every((id) => !hits.has(id)),
      truncated,
      ...(onSearch ? { onSearch } : {}),
    };
    const findings: Finding[] = [];
    for (const rule of this.candidatesOf(hits)) {
      if (!rule.regex) continue;
      findings.push(...this.detectRule(rule, file, false));
    }
    const out: SecretHit[] = [];
    const seen = new Set<string>();
    for (const f of findings) {
      const secret = f.secret.toString('utf8');
      const line = lines.lineOf(f.secretAt);
      const key = `${f.rule.id}\0${line}\0${secret}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ rule: f.rule, secret, line, matchLine: f.startLine });
    }
    return { hits: out, truncated };
  }

  /** Where the rule's regex must run in this file: [start, end) pairs, disjoint and in order. */
  private regionsOf(rule: SecretRule, file: FileScan): Int32Array {
    const size = file.raw.length;
    if (!file.windowsHold) return Int32Array.of(0, size);
    const reach = this.reachOf(rule);
    if (!reach) return Int32Array.of(0, size);
    const ids = this.keywordIds.get(rule)!;
    const count = file.hits.count(ids);
    if (count === 0) return new Int32Array(0); // every match holds a keyword: none here
    if (count * DENSE_HIT_SPACING > size) {
      // Windows this dense would cover the file: one run from the first possible start.
      const first = scanWindows(Int32Array.of(file.hits.earliest(ids)), reach, file.lines.newlines, size);
      return Int32Array.of(first[0]!, size);
    }
    return joinNear(scanWindows(file.hits.of(ids), reach, file.lines.newlines, size), JOIN_GAP);
  }

  private detectRule(rule: SecretRule, file: FileScan, inherited: boolean): Finding[] {
    if (rule.skipReport && !inherited) return [];
    const { raw, path, lines, truncated } = file;
    if (fileAllowed(rule.allowlists, path)) return [];
    if (rule.path && !test(rule.path, path)) return [];
    const regex = rule.regex;
    if (!regex) return [];
    const findings: Finding[] = [];
    let count = 0;
    const record: MatchSink = (start, matchLen) => {
      if (++count > MAX_MATCHES_PER_RULE) {
        truncated.push(rule.id);
        return false;
      }
      const f = this.finding(rule, raw, path, lines, start, matchLen);
      if (f) findings.push(f);
      return true;
    };
    // The profile holds only where the keyword reach does (no character RE2 folds onto ASCII).
    const starts = file.windowsHold ? this.startsOf(rule) : null;
    let keywordHits: Int32Array | null = null;
    if (starts && starts.keywordId !== -1) {
      const ids = [starts.keywordId];
      const kept = file.hits.of(ids);
      // Every occurrence is a candidate only when all were kept.
      if (kept.length === file.hits.count(ids)) keywordHits = kept;
    }
    const profile = starts && (keywordHits || starts.profile.literal) ? starts.profile : null;
    // Bounded matches that start at a keyword: each hit is checked where it is, no window needed.
    const regions = profile && keywordHits && profile.maxLength !== Infinity ? Int32Array.of(0, raw.length) : this.regionsOf(rule, file);
    let prevEnd = -1;
    for (let w = 0; w < regions.length; w += 2) {
      const from = regions[w]!;
      const to = regions[w + 1]!;
      file.onSearch?.(rule, from, to);
      const going = profile
        ? this.searchStarts(regex, profile, keywordHits, raw, from, to, record)
        : this.search(regex.scanner, raw, from, to, prevEnd, record, (end) => (prevEnd = end));
      if (!going) break;
    }
    if (inherited || rule.required.length === 0) return findings;
    return this.withRequired(rule, file, findings);
  }

  /**
   * Every match of `re` from `from` in raw[0, to): the bytes before the window stay visible (RE2
   * reads them for ^ and \b); the cut is past any match. False when the sink stopped.
   */
  private search(re: CompiledPattern['scanner'], raw: Buffer, from: number, to: number, prevEnd: number, record: MatchSink, ended: (end: number) => void): boolean {
    const view = to === raw.length ? raw : raw.subarray(0, to);
    re.lastIndex = from;
    for (let m = execBytes(re, view); m !== null; m = execBytes(re, view)) {
      const start = m.index;
      const matchLen = m[0]!.length;
      if (matchLen === 0) {
        re.lastIndex = start + runeWidth(raw, start);
        if (start === prevEnd) continue; // Go drops an empty match that abuts the previous one
      }
      prevEnd = start + matchLen;
      ended(prevEnd);
      if (!record(start, matchLen)) {
        re.lastIndex = 0;
        return false;
      }
    }
    return true;
  }

  /**
   * The matches `search` finds, found from the starts that fit the rule's start profile only
   * (start-profile.ts): no match starts anywhere else, so the first start that fits and has a
   * match there is where the plain search's next match starts, and RE2's match anchored there is
   * the one its unanchored search picks (leftmost-first). A rule whose matches have a bounded
   * length is run anchored at each fitting start, on the bytes up to one past its longest match;
   * an unbounded one is searched from the first fitting start on. When the checks cost more than
   * the plain search would, the rest of the window is searched the plain way. Matches are never empty (the profile knows at
   * least 2 bytes), so Go's empty-match rule has nothing to do here.
   */
  private searchStarts(
    regex: CompiledPattern,
    profile: StartProfile,
    keywordHits: Int32Array | null,
    raw: Buffer,
    from: number,
    to: number,
    record: MatchSink,
  ): boolean {
    const view = to === raw.length ? raw : raw.subarray(0, to);
    const length = profile.length;
    const accepts = profile.accepts;
    const last = to - length; // the last start whose profile fits in the window
    const bounded = profile.maxLength !== Infinity;
    let spent = 0;
    let hit = keywordHits ? lowerBound(keywordHits, from) : 0;
    const literal = profile.literal;
    let found = -2; // the literal's next occurrence (-2: not searched yet, -1: none)
    let pos = from;
    while (pos <= last) {
      // The next candidate start at or after pos.
      let p: number;
      if (keywordHits) {
        while (hit < keywordHits.length && keywordHits[hit]! < pos) hit++;
        if (hit === keywordHits.length) return true;
        p = keywordHits[hit]!;
      } else {
        const at = literal!.at;
        if (found === -2 || (found !== -1 && found < pos + at)) {
          found = view.indexOf(literal!.bytes, pos + at);
          spent += INDEXOF_COST;
        }
        if (found === -1) return true;
        p = found - at;
      }
      if (p > last) return true;
      let i = 0;
      for (let row = 0; i < length && accepts[row + raw[p + i]!] === 1; i++, row += 256);
      spent += i + 1;
      if (i < length) {
        pos = p + 1;
      } else if (bounded) {
        const end = Math.min(to, p + profile.maxLength + 1);
        spent += end - p + RE2_CALL_COST;
        const re = anchoredScanner(regex);
        re.lastIndex = p;
        const m = execBytes(re, end === raw.length ? raw : raw.subarray(0, end));
        re.lastIndex = 0;
        if (m === null) {
          pos = p + 1;
        } else {
          const matchLen = m[0]!.length;
          if (!record(p, matchLen)) return false;
          pos = p + matchLen;
        }
      } else {
        // Unbounded: one search from here finds the next match (or shows there is none left).
        const re = regex.scanner;
        re.lastIndex = p;
        const m = execBytes(re, view);
        if (m === null) return true;
        const matchLen = m[0]!.length;
        if (!record(m.index, matchLen)) {
          re.lastIndex = 0;
          return false;
        }
        pos = m.index + matchLen;
      }
      if (spent > START_BUDGET_FACTOR * (pos - from) + this.startSlack) return pos >= to || this.search(regex.scanner, raw, pos, to, -1, record, () => {});
    }
    return true;
  }

  private finding(rule: SecretRule, raw: Buffer, path: string, lines: Lines, start: number, matchLen: number): Finding | null {
    // strings.Trim(match, "\n"); gitleaks then ends the match at start + trimmed length.
    let lead = 0;
    let trail = 0;
    while (lead < matchLen && raw[start + lead] === NEWLINE) lead++;
    while (trail < matchLen - lead && raw[start + matchLen - 1 - trail] === NEWLINE) trail++;
    const match = raw.subarray(start + lead, start + matchLen - trail);
    const loc = lines.locate(start, start + match.length);
    if (loc.line.allowSigned()) return null;
    if (match.length > PRECHECKED_MATCH) {
      // Reject early what would be rejected whatever the secret: extracting it is an NFA run over the match.
      if (rule.entropy !== 0 && entropyCeiling(match) + ENTROPY_MARGIN <= rule.entropy) return null;
      if (allowedWhateverTheSecret(this.ruleSet.allowlists, match, loc.line) || allowedWhateverTheSecret(rule.allowlists, match, loc.line)) return null;
    }

    // The secret: the rule matched again on the trimmed match alone (as gitleaks does).
    const span = this.spans.of(rule.regex!, rule.secretGroup, match);
    if (span === null) return null;
    const secret = match.subarray(span[0], span[1]);
    const secretAt = start + lead + span[0];
    if (rule.entropy !== 0 && shannonEntropy(secret) <= rule.entropy) return null;
    if (findingAllowed(this.ruleSet.allowlists, path, secret, match, loc.line)) return null;
    if (findingAllowed(rule.allowlists, path, secret, match, loc.line)) return null;
    return { rule, secret, secretAt, startLine: loc.startLine, startColumn: loc.startColumn };
  }

  /** Composite rules: a finding stands only with a finding of each required rule nearby. */
  private withRequired(rule: SecretRule, file: FileScan, primary: Finding[]): Finding[] {
    if (primary.length === 0) return primary;
    const found = new Map<string, Finding[]>();
    for (const req of rule.required) {
      const other = this.byId.get(req.id);
      if (other && !found.has(req.id)) found.set(req.id, this.detectRule(other, file, true));
    }
    return primary.filter((p) =>
      rule.required.every((req) =>
        (found.get(req.id) ?? []).some(
          (r) =>
            (req.withinLines === undefined || Math.abs(p.startLine - r.startLine) <= req.withinLines) &&
            (req.withinColumns === undefined || Math.abs(p.startColumn - r.startColumn) <= req.withinColumns),
        ),
      ),
    );
  }
}
