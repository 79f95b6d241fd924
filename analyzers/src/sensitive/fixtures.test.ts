/**
 * Third-party secret fixtures (testdata/SOURCE.md): gitleaks' own rules on gitleaks' literal
 * positives and negatives, then secretlint's and detect-secrets' cases with their expected
 * findings, scanned with the built-in rules (recall printed) and with the gitleaks rules.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRuleSet } from './builtin-rules.ts';
import { SecretDetector } from './detector.ts';
import { parseRuleFile } from './rules.ts';

const data = (p: string) => readFileSync(new URL(`./testdata/${p}`, import.meta.url), 'utf8');
const jsonl = <T>(p: string): T[] => data(p).split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

interface GitleaksFixture {
  rule_id: string;
  expect: 'match' | 'no-match';
  text?: string;
  secret?: string;
  identifier?: string;
}
interface SecretlintCase {
  rule: string;
  case: string;
  kind: string;
  input_filename: string;
  input: string;
  config: unknown;
  expected_messages: Array<{ range: [number, number]; loc: { start: { line: number } } }>;
}

const gitleaks = parseRuleFile(data('gitleaks/gitleaks.toml'), 'gitleaks.toml');
const gitleaksDetector = new SecretDetector(gitleaks);
const builtinDetector = new SecretDetector(builtinRuleSet());

/** gitleaks embeds generated secrets in assignment contexts (any of them must match); a few of its templates. */
function fixtureTexts(f: GitleaksFixture): string[] {
  if (f.text !== undefined) return [f.text];
  const id = f.identifier!;
  return [
    `${id}_api_token = "${f.secret}"`,
    `${id}_token = "${f.secret}"`,
    `{\n    "${id}_api_token": "${f.secret}"\n}`,
    `export ${id.toUpperCase()}_TOKEN=${f.secret}`,
  ];
}

// secretlint rules that are not secret detectors (comment filters, user-configured patterns,
// the example rule, home-directory paths, account IDs) are out of scope for recall.
const OUT_OF_SCOPE = /-(?:filter-comments|pattern|example|no-homedir|no-k8s-kind-secret|secp256k1-privatekey)$/;
// Identifiers, not secrets: an AWS account ID, an Azure tenant ID and client ID.
const IDENTIFIER_CASES = new Set(['ng.AWS Account ID', 'ng.ad_tenant_id', 'ng.azure_client_id']);
const secretlintCases = jsonl<SecretlintCase>('secretlint/snapshots.jsonl').filter(
  (c) => !OUT_OF_SCOPE.test(c.rule) && !IDENTIFIER_CASES.has(c.case),
);
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

function recall(detector: SecretDetector) {
  let expected = 0;
  let found = 0;
  const missed: string[] = [];
  for (const c of secretlintCases) {
    const hits = detector.scanString(c.input, `/app/${c.input_filename}`);
    const lines = new Set(hits.map((h) => h.line));
    for (const m of c.expected_messages) {
      expected++;
      // secretlint reports some findings (a GCP key file) on the whole input: any hit counts there.
      const wholeFile = m.range[0] === 0 && m.range[1] === c.input.length;
      if (lines.has(m.loc.start.line) || (wholeFile && hits.length > 0)) found++;
      else missed.push(`secretlint ${c.rule}/${c.case}:${m.loc.start.line}`);
    }
  }
  return { expected, found, missed };
}

/**
 * detect-secrets' baseline was made from an older revision of its test files: its line numbers
 * drift, so a finding counts when it is on the baseline's line or has the baseline's secret hash.
 * Its entropy detectors flag any hex/base64 string; gitleaks-style rules deliberately do not.
 */
function detectSecretsRecall(detector: SecretDetector) {
  let expected = 0;
  let found = 0;
  const missed: string[] = [];
  const baseline = JSON.parse(data('detect-secrets/baseline.json')) as {
    results: Record<string, Array<{ line_number: number; type: string; hashed_secret: string }>>;
  };
  for (const [file, results] of Object.entries(baseline.results)) {
    const hits = detector.scanString(data(`detect-secrets/test_data/${file}`), `/app/${file}`);
    for (const r of results) {
      expected++;
      if (hits.some((h) => h.line === r.line_number || sha1(h.secret) === r.hashed_secret)) found++;
      else missed.push(`detect-secrets ${file}:${r.line_number} ${r.type}`);
    }
  }
  return { expected, found, missed };
}

function gitleaksRecall(detector: SecretDetector) {
  const positives = jsonl<GitleaksFixture>('gitleaks/rule-fixtures.jsonl').filter((f) => f.expect === 'match');
  const found = positives.filter((f) => fixtureTexts(f).some((t) => detector.scanString(t, '/app/fixture.txt').length > 0)).length;
  return { expected: positives.length, found };
}

describe('gitleaks rules on gitleaks fixtures', () => {
  it('loads every rule of the default gitleaks config', () => {
    expect(gitleaks.notes).toEqual([]);
    expect(gitleaks.rules.length).toBe(222);
  });

  const all = jsonl<GitleaksFixture>('gitleaks/rule-fixtures.jsonl');
  const ruleIds = new Set(gitleaks.rules.map((r) => r.id));
  // A few fixtures name rules this config snapshot does not contain (e.g. gcp-service-account).
  const fixtures = all.filter((f) => ruleIds.has(f.rule_id));
  it('covers the fixtures of every rule present in the config', () => {
    console.log(`[gitleaks] ${fixtures.length}/${all.length} fixtures name a rule of the config; skipped: ${[...new Set(all.filter((f) => !ruleIds.has(f.rule_id)).map((f) => f.rule_id))].join(', ')}`);
    expect(fixtures.length).toBeGreaterThan(all.length * 0.95);
  });
  it.each(fixtures.map((f, i) => [i, f.rule_id, f.expect, f] as const))('#%i %s %s', (_i, ruleId, expectation, f) => {
    const ids = fixtureTexts(f).map((text) => gitleaksDetector.scanString(text, '/app/fixture.txt').map((h) => h.rule.id));
    if (expectation === 'match') expect(ids.some((found) => found.includes(ruleId))).toBe(true);
    else for (const found of ids) expect(found).not.toContain(ruleId);
  });
});

describe('secretlint and detect-secrets cases', () => {
  it('built-in rules: recall on expected findings, printed', () => {
    const pct = (r: { found: number; expected: number }) => `${((100 * r.found) / r.expected).toFixed(1)}% (${r.found}/${r.expected})`;
    const b = { sl: recall(builtinDetector), ds: detectSecretsRecall(builtinDetector), gl: gitleaksRecall(builtinDetector) };
    const g = { sl: recall(gitleaksDetector), ds: detectSecretsRecall(gitleaksDetector), gl: gitleaksRecall(gitleaksDetector) };
    console.log(
      `[recall] built-in rules: secretlint ${pct(b.sl)}, detect-secrets ${pct(b.ds)}, gitleaks literal positives ${pct(b.gl)}\n` +
        `[recall] gitleaks rules: secretlint ${pct(g.sl)}, detect-secrets ${pct(g.ds)}, gitleaks literal positives ${pct(g.gl)}\n` +
        `[recall] built-in misses: ${[...b.sl.missed, ...b.ds.missed].join('; ')}`,
    );
    expect(b.sl.found / b.sl.expected).toBeGreaterThanOrEqual(0.9);
    expect(b.ds.found).toBeGreaterThanOrEqual(4);
  });

  it('built-in rules report nothing on the secretlint "ok" cases', () => {
    const noisy = secretlintCases
      .filter((c) => c.kind === 'ok' && c.config === null)
      .map((c) => ({ c, hits: builtinDetector.scanString(c.input, `/app/${c.input_filename}`) }))
      .filter((x) => x.hits.length > 0)
      .map((x) => `${x.c.rule}/${x.c.case}: ${x.hits.map((h) => `${h.rule.id}@${h.line}`).join(',')}`);
    expect(noisy).toEqual([]);
  });

  it('detect-secrets: the private key and the password line are found with the right type', () => {
    const key = builtinDetector.scanString(data('detect-secrets/test_data/files/private_key'), '/root/key');
    expect(key.map((h) => [h.rule.type, h.line])).toEqual([['private_key', 1]]);
    const ini = builtinDetector.scanString(data('detect-secrets/test_data/config.ini'), '/app/config.ini');
    expect(ini.find((h) => h.line === 2)?.rule.type).toBe('password');
  });
});
