/**
 * The third-party secret fixtures (../testdata, SOURCE.md) as scoring cases, each marked
 * held-out or not. The held-out part was set aside BEFORE the built-in rules were tuned and is
 * reported on its own: a deterministic split by rule (gitleaks' rule id, secretlint's rule
 * package), ~30% of the groups, so a held-out provider's strings were never looked at.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const data = (p: string) => readFileSync(new URL(`../testdata/${p}`, import.meta.url), 'utf8');
const jsonl = <T>(p: string): T[] =>
  data(p)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** Held out: the first byte of sha256("shipshape-holdout:<source>:<group>") is below 77 (30%). */
export function isHeldOut(source: string, group: string): boolean {
  return createHash('sha256').update(`shipshape-holdout:${source}:${group}`).digest()[0]! < 77;
}

interface GitleaksFixtureRow {
  rule_id: string;
  expect: 'match' | 'no-match';
  text?: string;
  secret?: string;
  identifier?: string;
}

export interface GitleaksFixture {
  index: number;
  ruleId: string;
  expect: 'match' | 'no-match';
  /** The texts gitleaks checks: the literal one, or the secret in each assignment context. */
  texts: string[];
  heldOut: boolean;
}

/**
 * The assignment contexts gitleaks puts a generated secret in (GenerateSampleSecrets: INI,
 * JSON, XML, YAML, C#, Go, Java, Kotlin, PHP, Python, Makefile, logstash, a Java property call);
 * a rule must find the secret in every one of them.
 */
const CONTEXTS = [
  '{i}Token="{s}"', '{i}Token = "{s}"', '{i}Token={s}', '{i}Token = {s}',
  '{\n    "{i}_token": "{s}"\n}', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
  '<{i}Token>\n    {s}\n</{i}Token>',
  '{i}_token: {s}', "{i}_token: '{s}'", '{i}_token: "{s}"',
  'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"', '{i}Token := `{s}`',
  'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"', "{i}Token = '{s}'", '{i}Token = "{s}"',
  'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"',
  '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"', '{i}_TOKEN :::= "{s}"', '{i}_TOKEN ?= "{s}"',
];

export function sampleContexts(identifier: string, secret: string): string[] {
  return CONTEXTS.map((c) => c.replaceAll('{i}', identifier).replaceAll('{I}', identifier.toUpperCase()).replaceAll('{s}', secret));
}

export function gitleaksFixtures(): GitleaksFixture[] {
  return jsonl<GitleaksFixtureRow>('gitleaks/rule-fixtures.jsonl').map((row, index) => ({
    index,
    ruleId: row.rule_id,
    expect: row.expect,
    texts: row.text !== undefined ? [row.text] : sampleContexts(row.identifier!, row.secret!),
    heldOut: isHeldOut('gitleaks', row.rule_id),
  }));
}

interface SecretlintRow {
  rule: string;
  case: string;
  kind: string;
  input_filename: string;
  input: string;
  config: unknown;
  expected_messages: Array<{ range: [number, number]; loc: { start: { line: number } } }>;
}

export interface SecretlintCase {
  rule: string;
  name: string;
  path: string;
  input: string;
  /** 1-based lines secretlint reports (empty: a negative case); `wholeFile` when a finding spans the input. */
  expected: Array<{ line: number; wholeFile: boolean }>;
  heldOut: boolean;
}

/**
 * Out of scope, with the reason: rules that are not secret detectors (secretlint's comment
 * filter, user-configured patterns, the example rule, home-directory paths), a bare 64-hex
 * secp256k1 key (indistinguishable from a hash; gitleaks has no such rule), identifiers that are
 * not secrets (AWS account ID, Azure tenant and client IDs), and cases whose verdict is a
 * secretlint option (`enableIDScanRule: false`, an `allows` list), and "ng" cases recorded with no output.
 */
const OUT_OF_SCOPE_RULES = /-(?:filter-comments|pattern|example|no-homedir|secp256k1-privatekey)$/;
const OUT_OF_SCOPE_CASES = new Set([
  'secretlint-rule-aws/ng.AWS Account ID',
  'secretlint-rule-azure/ng.ad_tenant_id',
  'secretlint-rule-azure/ng.azure_client_id',
  'secretlint-rule-aws/ok.AWS Access Key ID--enableIDScanRule-false',
  'secretlint-rule-groq/ok.allows',
  // "ng" (must find) cases whose recorded output is empty: no verdict to score (gitleaks flags such a manifest).
  'secretlint-rule-no-k8s-kind-secret/ng.kind-secret',
  'secretlint-rule-no-k8s-kind-secret/ng.kind-secret-multiple',
]);

export function secretlintCases(): SecretlintCase[] {
  return jsonl<SecretlintRow>('secretlint/snapshots.jsonl')
    .filter((c) => !OUT_OF_SCOPE_RULES.test(c.rule) && !OUT_OF_SCOPE_CASES.has(`${c.rule}/${c.case}`))
    .map((c) => ({
      rule: c.rule,
      name: c.case,
      path: `/app/${c.input_filename}`,
      input: c.input,
      expected: c.expected_messages.map((m) => ({ line: m.loc.start.line, wholeFile: m.range[0] === 0 && m.range[1] === c.input.length })),
      heldOut: isHeldOut('secretlint', c.rule),
    }));
}

export interface DetectSecretsFile {
  path: string;
  text: string;
  expected: Array<{ line: number; type: string; hashedSecret: string }>;
}

export function detectSecretsFiles(): DetectSecretsFile[] {
  const baseline = JSON.parse(data('detect-secrets/baseline.json')) as {
    results: Record<string, Array<{ line_number: number; type: string; hashed_secret: string }>>;
  };
  return Object.entries(baseline.results).map(([file, results]) => ({
    path: `/app/${file}`,
    text: data(`detect-secrets/test_data/${file}`),
    expected: results.map((r) => ({ line: r.line_number, type: r.type, hashedSecret: r.hashed_secret })),
  }));
}

export function gitleaksToml(): string {
  return data('gitleaks/gitleaks.toml');
}
