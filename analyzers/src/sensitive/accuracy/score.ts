/**
 * Scores a detector on the third-party fixtures (corpus.ts), per source, for all cases and
 * for the held-out part alone: recall on positives and the share of negatives flagged. Used by
 * the accuracy test (floors) and `pnpm bench secrets` (printed figures).
 */
import { createHash } from 'node:crypto';
import type { SecretDetector } from '../detector.ts';
import { detectSecretsFiles, gitleaksFixtures, secretlintCases } from './corpus.ts';

export interface Tally {
  hit: number;
  total: number;
  /** What missed (positives) or was flagged (negatives), for the test's message. */
  cases: string[];
}

export interface SourceScore {
  /** hit = found. */
  positives: Tally;
  /** hit = flagged (a false positive). */
  negatives: Tally;
  /**
   * The negatives the reference itself leaves alone, hit = flagged. gitleaks' "no-match" fixtures
   * are "must not match" cases of one rule; a few of them are found by another of its rules (a
   * JWT in a Basic header, an Anthropic API key among the admin key's cases), so gitleaks with its
   * whole config flags them too. Flagging those is not flagging what gitleaks leaves alone. The
   * same as negatives where no reference is given.
   */
  cleanNegatives: Tally;
}

export type Source = 'gitleaks' | 'secretlint' | 'detect-secrets';
export type Accuracy = Record<Source, { all: SourceScore; heldOut: SourceScore }>;

const tally = (): Tally => ({ hit: 0, total: 0, cases: [] });
const score = (): SourceScore => ({ positives: tally(), negatives: tally(), cleanNegatives: tally() });
const both = () => ({ all: score(), heldOut: score() });

function count(s: { all: SourceScore; heldOut: SourceScore }, heldOut: boolean, kind: keyof SourceScore, hit: boolean, label: string): void {
  for (const target of heldOut ? [s.all, s.heldOut] : [s.all]) {
    const t = target[kind];
    t.total++;
    if (hit) t.hit++;
    if (hit === (kind !== 'positives')) t.cases.push(label);
  }
}

/** A negative: counted as such, and as a clean one unless the reference flags it too. */
function countNegative(s: { all: SourceScore; heldOut: SourceScore }, heldOut: boolean, hit: boolean, referenceFlags: boolean, label: string): void {
  count(s, heldOut, 'negatives', hit, label);
  if (!referenceFlags) count(s, heldOut, 'cleanNegatives', hit, label);
}

/**
 * The built-in set (or any set) on every source. A gitleaks "no-match" fixture is a negative
 * for any rule, and a clean negative unless `gitleaksItself` (a detector of gitleaks.toml, which
 * gives gitleaks' verdict on all its fixtures) finds something in it; a "match" fixture is found
 * when every one of its texts gets a finding.
 */
export function accuracy(detector: SecretDetector, gitleaksItself?: SecretDetector): Accuracy {
  const result: Accuracy = { gitleaks: both(), secretlint: both(), 'detect-secrets': both() };
  for (const f of gitleaksFixtures()) {
    const found = f.texts.map((t) => detector.scanString(t, '').length > 0);
    const label = `gitleaks #${f.index} ${f.ruleId}`;
    if (f.expect === 'match') count(result.gitleaks, f.heldOut, 'positives', found.every(Boolean), label);
    else countNegative(result.gitleaks, f.heldOut, found.some(Boolean), Boolean(gitleaksItself && f.texts.some((t) => gitleaksItself.scanString(t, '').length > 0)), label);
  }
  for (const c of secretlintCases()) {
    const hits = detector.scanString(c.input, c.path);
    const label = `secretlint ${c.rule}/${c.name}`;
    if (c.expected.length === 0) countNegative(result.secretlint, c.heldOut, hits.length > 0, false, label);
    for (const e of c.expected) {
      const found = hits.some((h) => h.line === e.line) || (e.wholeFile && hits.length > 0);
      count(result.secretlint, c.heldOut, 'positives', found, `${label}:${e.line}`);
    }
  }
  // detect-secrets' baseline came from an older revision of its files: a finding counts on the
  // baseline's line or with the baseline's secret hash.
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
  for (const file of detectSecretsFiles()) {
    const hits = detector.scanString(file.text, file.path);
    for (const e of file.expected) {
      const found = hits.some((h) => h.line === e.line || sha1(h.secret) === e.hashedSecret);
      count(result['detect-secrets'], false, 'positives', found, `detect-secrets ${file.path}:${e.line} ${e.type}`);
    }
  }
  return result;
}

/**
 * gitleaks' verdict on its own fixtures: the fixture's rule reports every "match" text and no
 * "no-match" text. Fixtures naming a rule the config does not have are counted apart (gitleaks
 * itself, with that config, cannot report them).
 */
export function gitleaksParity(detector: SecretDetector): { total: number; agree: number; disagreements: string[]; absent: string[] } {
  let agree = 0;
  const disagreements: string[] = [];
  const absent: string[] = [];
  const ids = new Set(detector.ruleSet.rules.map((r) => r.id));
  const fixtures = gitleaksFixtures();
  for (const f of fixtures) {
    if (!ids.has(f.ruleId)) {
      absent.push(`#${f.index} ${f.ruleId}`);
      continue;
    }
    const ruleFound = f.texts.map((t) => detector.scanString(t, '').some((h) => h.rule.id === f.ruleId));
    const ok = f.expect === 'match' ? ruleFound.every(Boolean) : !ruleFound.some(Boolean);
    if (ok) agree++;
    else disagreements.push(`#${f.index} ${f.ruleId} ${f.expect}`);
  }
  return { total: fixtures.length - absent.length, agree, disagreements, absent };
}

export const pct = (t: Tally) => (t.total === 0 ? 'n/a' : `${((100 * t.hit) / t.total).toFixed(1)}% (${t.hit}/${t.total})`);
