/**
 * The start-profile prefilter must never change what a scan finds. Checked three ways: the
 * profile of every built-in and gitleaks rule holds for each of its matches in the fixture texts;
 * detectors with and without profiles report the same findings on fixture texts, on texts built
 * around each profile (its keyword or literal followed by bytes that fit for a while, then do
 * not, cut at window edges, repeated, in other cases, next to a Kelvin sign) and on mutated
 * fixtures; and the same with every allowlist and entropy bar removed, so each match is a finding.
 * The switch to the plain search (when candidate checks outrun it) is exercised by dense fitting
 * starts and by a detector that switches after its first candidate.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzz, mutatedBytes } from '../testing/fuzz.ts';
import { detectSecretsFiles, gitleaksFixtures, gitleaksToml, secretlintCases } from './accuracy/corpus.ts';
import { builtinRuleSet } from './builtin-rules.ts';
import { SecretDetector } from './detector.ts';
import { execBytes } from './regex-engine.ts';
import { parseRuleFile, type RuleSet, type SecretRule } from './rules.ts';
import { startProfile, type StartProfile } from './start-profile.ts';

const builtin = builtinRuleSet();
const gitleaks = parseRuleFile(gitleaksToml(), 'gitleaks.toml');
const sets: Array<[string, RuleSet]> = [
  ['built-in', builtin],
  ['gitleaks.toml', gitleaks],
];

/** The set with no allowlist and no entropy bar: every match of a rule is a finding. */
function bare(set: RuleSet): RuleSet {
  return { rules: set.rules.map((r) => ({ ...r, entropy: 0, allowlists: [] })), allowlists: [], notes: [] };
}

function fixtureTexts(): string[] {
  return [...gitleaksFixtures().flatMap((f) => f.texts), ...secretlintCases().map((c) => c.input), ...detectSecretsFiles().map((f) => f.text)];
}

/** Everything a scan reports, as comparable text. */
function report(detector: SecretDetector, text: Buffer): string {
  const { hits, truncated } = detector.scanDetailed(text, '/srv/app/config.js');
  return JSON.stringify([hits.map((h) => [h.rule.id, h.secret, h.line, h.matchLine]), truncated]);
}

/** Deterministic pseudo-random numbers (the cases must be the same on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function acceptedBytes(profile: StartProfile, i: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 256; b++) if (profile.accepts[i * 256 + b] === 1) out.push(b);
  return out;
}

/** Up to `limit` matches of the rule's regex in the texts. */
function realMatches(rule: SecretRule, texts: Buffer[], limit: number): Buffer[] {
  const out: Buffer[] = [];
  const re = rule.regex!.scanner;
  for (const text of texts) {
    re.lastIndex = 0;
    for (let m = execBytes(re, text); m !== null && out.length < limit; m = execBytes(re, text)) out.push(m[0]!);
    re.lastIndex = 0;
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Texts around each profiled rule's candidates: the profile followed for a random number of
 * positions then broken (or followed to the end and continued with a fixture text), the start
 * written in other cases, repeated back to back, behind `\b`-sensitive bytes, cut anywhere; and
 * real matches right behind a false start that overlaps them (the first bytes of the match, or
 * the match with a byte of its start changed).
 */
function profileTexts(detector: SecretDetector, fixtures: string[], seed: number): Buffer[] {
  const next = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const out: Buffer[] = [];
  const fixtureBytes = fixtures.map((t) => Buffer.from(t, 'utf8'));
  for (const rule of detector.ruleSet.rules) {
    const profile = rule.regex && detector.startProfileOf(rule);
    if (!profile) continue;
    for (const match of realMatches(rule, fixtureBytes, 3)) {
      const changed = Buffer.from(match);
      changed[Math.floor(next() * profile.length)] = Math.floor(next() * 128);
      for (let k = 1; k <= 4; k++) out.push(Buffer.concat([match.subarray(0, k), match, Buffer.from(pick(['', ' ', '\n', '"']))]));
      out.push(Buffer.concat([changed, match]), Buffer.concat([match, match]), Buffer.concat([match.subarray(0, 1), changed, match]));
    }
    for (let n = 0; n < 6; n++) {
      const parts: Buffer[] = [];
      for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
        const fit = next() < 0.5 ? profile.length : Math.floor(next() * profile.length);
        const bytes: number[] = [];
        for (let i = 0; i < fit; i++) bytes.push(pick(acceptedBytes(profile, i)));
        if (fit < profile.length) bytes.push(Math.floor(next() * 128));
        let start = Buffer.from(bytes);
        const shape = Math.floor(next() * 5);
        if (shape === 0) start = Buffer.from(start.toString('latin1').toUpperCase(), 'latin1');
        else if (shape === 1) start = Buffer.from(start.toString('latin1').toLowerCase(), 'latin1');
        parts.push(Buffer.from(pick(['', ' ', '_', 'x', '\n', '"', '=', '\u212a', '\u017f', 'é'])), start);
        parts.push(Buffer.from(pick(['', pick(fixtures).slice(0, 120), 'A1b2C3d4'.repeat(Math.floor(next() * 12)), ' = "', '\n', '.'])));
      }
      const text = Buffer.concat(parts);
      out.push(text, text.subarray(0, Math.floor(next() * text.length)), Buffer.concat([text, text]));
    }
  }
  return out;
}

describe('start profiles', () => {
  it('reads what every match starts with, and how candidates are found', () => {
    const vault = startProfile('\\b(s\\.[A-Za-z0-9]{24})(?:[^0-9A-Za-z.]|$)', ['vault', 'token'])!;
    expect(vault.length).toBe(26);
    expect(vault.keyword).toBeNull();
    expect(vault.literal).toEqual({ bytes: Buffer.from('s.'), at: 0 });
    expect(vault.maxLength).toBe(30);
    const pat = startProfile('\\b(pat[A-Za-z0-9]{14}\\.[a-f0-9]{4})', ['pat'])!;
    expect(pat.keyword).toBe('pat');
    expect(startProfile('(?i)token[ =]+[a-z]{8}', ['token'])).toMatchObject({ keyword: 'token', length: 6, maxLength: Infinity });
    // Alternatives: the union at each position both have; a start that may be empty: nothing known.
    expect(startProfile('(?:gh[po]_|ghs_)[a-z]{4}', ['ghp_', 'gho_', 'ghs_'])).toMatchObject({ length: 8, literal: { bytes: Buffer.from('gh'), at: 0 } });
    expect(startProfile('[a-z]?key_[0-9]{8}', ['key_'])).toBeNull();
    expect(startProfile('(?:\\b|_)(?i:secret)[0-9]{8}', ['secret'])).toBeNull();
    // A non-ASCII position ends the profile (bytes and characters part there).
    expect(startProfile('ab.cd', [])).toMatchObject({ length: 2 });
    expect(startProfile('a.', [])).toBeNull();
  });

  it.each(sets)('%s rules: every match in the fixture texts fits its rule profile', (_label, set) => {
    const texts = fixtureTexts().map((t) => Buffer.from(t, 'utf8'));
    let checked = 0;
    for (const rule of set.rules) {
      const profile = rule.regex && startProfile(rule.regex.source, rule.keywords);
      if (!profile) continue;
      const re = rule.regex!.scanner;
      for (const text of texts) {
        re.lastIndex = 0;
        for (let m = execBytes(re, text); m !== null; m = execBytes(re, text)) {
          const start = text.subarray(m.index, m.index + profile.length);
          expect(start.length, `${rule.id} matched ${m[0]!.toString()}`).toBe(profile.length);
          for (let i = 0; i < profile.length; i++) expect(profile.accepts[i * 256 + start[i]!], `${rule.id} at ${i} in ${m[0]!.toString()}`).toBe(1);
          if (profile.maxLength !== Infinity) expect(m[0]!.length).toBeLessThanOrEqual(profile.maxLength);
          checked++;
        }
        re.lastIndex = 0;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it.each(sets)('%s rules: the same findings with and without profiles (as shipped, and with every match a finding)', (_label, set) => {
    const fixtures = fixtureTexts();
    for (const s of [set, bare(set)]) {
      const profiled = new SecretDetector(s);
      const plain = new SecretDetector(s, undefined, { startProfiles: false });
      const early = new SecretDetector(s, undefined, { startSlack: 0 });
      const profiledRules = s.rules.filter((r) => r.regex && profiled.startProfileOf(r)).length;
      expect(profiledRules).toBeGreaterThan(s.rules.length * 0.3);
      expect(s.rules.every((r) => plain.startProfileOf(r) === null)).toBe(true);
      const texts = [...fixtures.map((t) => Buffer.from(t, 'utf8')), ...profileTexts(profiled, fixtures, 7)];
      expect(texts.length).toBeGreaterThan(2000);
      const differ = texts.filter((t) => report(profiled, t) !== report(plain, t)).map((t) => t.toString('utf8').slice(0, 200));
      expect(differ).toEqual([]);
      // Switching to the plain search at once (after the first candidate) loses nothing either.
      expect(texts.filter((t) => report(early, t) !== report(plain, t)).map((t) => t.toString('utf8').slice(0, 200))).toEqual([]);
    }
  });

  it.each(sets)('%s rules: the same findings when dense fitting starts make the search fall back to the plain way', (_label, set) => {
    // Each rule's real matches, behind ~30 KB of its matches' first bytes back to back: every
    // start fits the profile, so the checks and anchored runs outrun the plain search's pace
    // and the window's rest is searched the plain way (matches before and after the switch).
    const s = bare(set);
    const profiled = new SecretDetector(s);
    const plain = new SecretDetector(s, undefined, { startProfiles: false });
    const fixtures = fixtureTexts().map((t) => Buffer.from(t, 'utf8'));
    let built = 0;
    for (const rule of s.rules) {
      const profile = rule.regex && profiled.startProfileOf(rule);
      if (!profile) continue;
      const [match] = realMatches(rule, fixtures, 1);
      if (!match) continue;
      const start = match.subarray(0, profile.length);
      const dense = Buffer.concat(Array.from({ length: Math.ceil(30_000 / start.length) }, () => start));
      const text = Buffer.concat([match, Buffer.from(' '), dense, Buffer.from(' '), match, Buffer.from('\n'), dense, Buffer.from('\n'), match]);
      expect(report(profiled, text), rule.id).toBe(report(plain, text));
      built++;
    }
    expect(built).toBeGreaterThan(30);
  });

  it('the same findings with and without profiles on mutated fixture texts', async () => {
    const seeds = fixtureTexts().map((t) => Buffer.from(t, 'utf8'));
    const set = bare(builtin);
    const profiled = new SecretDetector(set);
    const plain = new SecretDetector(set, undefined, { startProfiles: false });
    const glued = fc.array(mutatedBytes(seeds, 6), { minLength: 1, maxLength: 6 }).map((parts) => Buffer.concat(parts));
    const cases = await fuzz('start profiles', glued, (text) => expect(report(profiled, text)).toBe(report(plain, text)), { numRuns: 300 });
    expect(cases).toBe(300);
  });
});
