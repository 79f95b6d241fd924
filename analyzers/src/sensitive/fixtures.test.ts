/**
 * Third-party secret fixtures (testdata/SOURCE.md). 1. gitleaks' own rules on gitleaks' own
 * fixtures give gitleaks' verdict, both ways. 2. The built-in set meets the accuracy floors
 * (recall ≥ 95%, false positives ≤ 3%) on gitleaks' fixtures and secretlint's snapshots; the
 * held-out part (accuracy/corpus.ts) is printed on its own.
 */
import { describe, expect, it } from 'vitest';
import { gitleaksFixtures, gitleaksToml } from './accuracy/corpus.ts';
import { accuracy, gitleaksParity, pct } from './accuracy/score.ts';
import { builtinRuleSet } from './builtin-rules.ts';
import { SecretDetector } from './detector.ts';
import { parseRuleFile } from './rules.ts';

const gitleaks = parseRuleFile(gitleaksToml(), 'gitleaks.toml');
const gitleaksDetector = new SecretDetector(gitleaks);

describe('gitleaks rules on gitleaks fixtures', () => {
  it('loads every rule of the default gitleaks config', () => {
    expect(gitleaks.notes).toEqual([]);
    expect(gitleaks.rules.length).toBe(222);
  });

  const ruleIds = new Set(gitleaks.rules.map((r) => r.id));
  const fixtures = gitleaksFixtures();
  it('names only rules of the config, except gcp-service-account (dropped from this gitleaks.toml snapshot)', () => {
    expect([...new Set(fixtures.filter((f) => !ruleIds.has(f.ruleId)).map((f) => f.ruleId))]).toEqual(['gcp-service-account']);
  });

  it.each(fixtures.filter((f) => ruleIds.has(f.ruleId)).map((f) => [f.index, f.ruleId, f.expect, f] as const))('#%i %s %s', (_i, ruleId, expectation, f) => {
    const found = f.texts.map((text) => gitleaksDetector.scanString(text, '').some((h) => h.rule.id === ruleId));
    if (expectation === 'match') expect(found.every(Boolean)).toBe(true);
    else expect(found.some(Boolean)).toBe(false);
  });

  it('agrees on 100% of the fixtures of its rules', () => {
    const parity = gitleaksParity(gitleaksDetector);
    console.log(`[gitleaks parity] ${parity.agree}/${parity.total} fixtures of its rules (apart: ${parity.absent.join(', ')}, a rule this gitleaks.toml lacks)`);
    expect(parity.disagreements).toEqual([]);
    expect(parity.agree).toBe(parity.total);
  });
});

describe('built-in rules on third-party fixtures', () => {
  const result = accuracy(new SecretDetector(builtinRuleSet()), gitleaksDetector);
  it('print per source, all cases and held-out', () => {
    for (const [source, s] of Object.entries(result)) {
      console.log(`[accuracy] ${source}: recall ${pct(s.all.positives)}, flagged negatives ${pct(s.all.negatives)} (of those the reference leaves alone ${pct(s.all.cleanNegatives)}) | held-out: recall ${pct(s.heldOut.positives)}, flagged ${pct(s.heldOut.negatives)} (${pct(s.heldOut.cleanNegatives)})`);
    }
    expect(result.gitleaks.all.positives.total).toBeGreaterThan(50);
  });
  for (const source of ['gitleaks', 'secretlint'] as const) {
    it(`${source}: recall ≥ 95%`, () => {
      const t = result[source].all.positives;
      expect(t.hit / t.total, `missed: ${t.cases.join('; ')}`).toBeGreaterThanOrEqual(0.95);
    });
    it(`${source}: false positives ≤ 3%`, () => {
      const t = result[source].all.negatives;
      expect(t.hit / t.total, `flagged: ${t.cases.join('; ')}`).toBeLessThanOrEqual(0.03);
    });
  }
  it("gitleaks' no-match fixtures another gitleaks rule flags are set apart, and nothing else", () => {
    const { negatives, cleanNegatives } = result.gitleaks.all;
    // A JWT in a Basic header (curl-auth-header's case) is still a JWT to gitleaks' jwt rule.
    expect(negatives.total - cleanNegatives.total).toBeGreaterThan(0);
    expect(negatives.total - cleanNegatives.total).toBeLessThan(negatives.total * 0.05);
    expect(cleanNegatives.hit / cleanNegatives.total, `flagged: ${cleanNegatives.cases.join('; ')}`).toBeLessThanOrEqual(0.03);
  });
  it('detect-secrets: the private key and the password line are found', () => {
    expect(result['detect-secrets'].all.positives.hit).toBeGreaterThanOrEqual(4);
  });
});
