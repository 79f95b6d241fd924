import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitleaksToml } from '../accuracy/corpus.ts';
import { keywordReach } from '../keyword-reach.ts';
import { builtinPlan, decodePlans } from '../rule-plans.ts';
import { parseRuleFile } from '../rules.ts';
import { startProfile, type StartProfile } from '../start-profile.ts';
import { builtinPlansJson, builtinToml } from './build-toml.ts';
import { catalog } from './catalog.ts';

/** A profile with its byte tables as hex (deep equality over 16 KB arrays a rule is slow). */
const comparable = (p: StartProfile | null) => p && { ...p, accepts: Buffer.from(p.accepts).toString('hex') };

describe('built-in rule catalog', () => {
  it('builtin.toml is what build-toml.ts writes from the catalog (run it after editing catalog.ts)', () => {
    expect(readFileSync(new URL('./builtin.toml', import.meta.url), 'utf8')).toBe(builtinToml());
  });
  it('builtin-plans.json is what build-toml.ts writes for builtin.toml (run it after editing catalog.ts)', () => {
    expect(readFileSync(new URL('./builtin-plans.json', import.meta.url), 'utf8')).toBe(builtinPlansJson());
  });
  it("each rule's plan, read back from the file, is the reach and start profile proved from its regex", () => {
    const plans = decodePlans(builtinPlansJson());
    const rules = parseRuleFile(builtinToml(), 'builtin').rules.filter((r) => r.regex && r.keywords.length > 0);
    expect(rules.length).toBeGreaterThan(150);
    let profiles = 0;
    for (const r of rules) {
      const plan = plans(r.regex!.source, r.keywords);
      expect(plan, r.id).toBeDefined();
      expect(plan!.reach, r.id).toEqual(keywordReach(r.regex!.source, r.keywords));
      expect(comparable(plan!.profile), r.id).toEqual(comparable(startProfile(r.regex!.source, r.keywords)));
      if (plan!.profile) profiles++;
      // The detector's lookup reads the committed file.
      expect(builtinPlan(r.regex!.source, r.keywords), r.id).toEqual(plan);
    }
    expect(profiles).toBeGreaterThan(50);
    // Unbounded extents (Infinity) survive the JSON.
    expect(rules.some((r) => plans(r.regex!.source, r.keywords)!.reach?.after.bytes === Infinity)).toBe(true);
  });
  it('a regex or keywords other than those of the file have no plan (they are proved at run time)', () => {
    const rule = parseRuleFile(builtinToml(), 'builtin').rules.find((r) => r.regex && r.keywords.length > 0)!;
    expect(builtinPlan(rule.regex!.source, rule.keywords)).toBeDefined();
    expect(builtinPlan(rule.regex!.source, [...rule.keywords, 'another'])).toBeUndefined();
    expect(builtinPlan(`${rule.regex!.source}x`, rule.keywords)).toBeUndefined();
  });
  it('has unique ids and loads as a gitleaks-format file', () => {
    expect(new Set(catalog.map((e) => e.id)).size).toBe(catalog.length);
    expect(parseRuleFile(builtinToml(), 'builtin').rules.map((r) => r.id)).toEqual(catalog.map((e) => e.id));
  });
  it('covers every rule of gitleaks.toml (the README table lists which entry covers which)', () => {
    const covered = new Set(catalog.flatMap((e) => e.covers));
    const gitleaksIds = parseRuleFile(gitleaksToml(), 'gitleaks.toml').rules.map((r) => r.id);
    expect(gitleaksIds.filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !gitleaksIds.includes(id))).toEqual(['gcp-service-account']);
  });
});
