/**
 * Scanning only the windows around keyword hits must find exactly what a run over the whole
 * file finds. Checked here rule by rule, for the built-in and gitleaks' rules, on every
 * third-party fixture text and on files built to put matches at window edges: the windows the
 * detector reports (its SearchObserver) are replayed, and their matches must be the whole-file
 * matches, same offsets, same order.
 */
import { describe, expect, it } from 'vitest';
import { detectSecretsFiles, gitleaksFixtures, gitleaksToml, secretlintCases } from './accuracy/corpus.ts';
import { builtinRuleSet } from './builtin-rules.ts';
import { MAX_MATCHES_PER_RULE, SecretDetector } from './detector.ts';
import { keywordReach } from './keyword-reach.ts';
import { execBytes } from './regex-engine.ts';
import { parseRuleFile, type RuleSet, type SecretRule } from './rules.ts';
import { joinNear, NewlineIndex, scanWindows } from './scan-windows.ts';

type Match = [start: number, end: number];

/** The matches of the rule's scanner from `from` in raw[0, to), as the detector walks them (Go's empty-match rule included). */
function matchesIn(rule: SecretRule, raw: Buffer, from: number, to: number, limit: number): Match[] {
  const re = rule.regex!.scanner;
  const view = raw.subarray(0, to);
  const out: Match[] = [];
  re.lastIndex = from;
  for (let m = execBytes(re, view); m !== null && out.length < limit; m = execBytes(re, view)) {
    if (m[0]!.length === 0) re.lastIndex = m.index + 1;
    out.push([m.index, m.index + m[0]!.length]);
  }
  re.lastIndex = 0;
  return out;
}

/** Rules whose windows do not give the whole-file matches in this text: "rule-id: why". */
function windowMismatches(detector: SecretDetector, text: Buffer): string[] {
  const windows = new Map<SecretRule, Match[]>();
  detector.scanDetailed(text, '', (rule, from, to) => {
    const list = windows.get(rule) ?? [];
    list.push([from, to]);
    windows.set(rule, list);
  });
  const candidates = new Set(detector.candidateRules(text));
  const wrong: string[] = [];
  for (const rule of detector.ruleSet.rules) {
    if (!rule.regex || rule.path) continue;
    const whole = matchesIn(rule, text, 0, text.length, MAX_MATCHES_PER_RULE);
    const ran = windows.get(rule);
    if (!ran) {
      // Not run: right when its keywords are absent (the prefilter, as gitleaks), else only if it cannot match.
      if (whole.length > 0 && candidates.has(rule)) wrong.push(`${rule.id}: skipped with ${whole.length} matches`);
      continue;
    }
    const windowed = ran.flatMap(([from, to]) => matchesIn(rule, text, from, to, MAX_MATCHES_PER_RULE)).slice(0, MAX_MATCHES_PER_RULE);
    if (JSON.stringify(windowed) !== JSON.stringify(whole)) wrong.push(`${rule.id}: windows ${JSON.stringify(ran)} found ${JSON.stringify(windowed)}, whole file ${JSON.stringify(whole)}`);
  }
  return wrong;
}

function fixtureTexts(): string[] {
  return [
    ...gitleaksFixtures().flatMap((f) => f.texts),
    ...secretlintCases().map((c) => c.input),
    ...detectSecretsFiles().map((f) => f.text),
  ];
}

/** Deterministic pseudo-random numbers (the cases must be the same on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Files that put matches where windows end: fixture texts glued with no gap, with newlines,
 * with filler that pushes the next keyword just past or inside the previous window, keywords
 * upper-cased and repeated, and texts cut at every few bytes.
 */
function edgeCases(texts: string[], set: RuleSet): string[] {
  const next = random(13);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const keywords = [...new Set(set.rules.flatMap((r) => r.keywords))];
  const out: string[] = [];
  for (let i = 0; i < 300; i++) {
    const parts: string[] = [];
    for (let k = 0; k < 4; k++) {
      const t = pick(texts);
      const shape = Math.floor(next() * 6);
      if (shape === 0) parts.push(t);
      else if (shape === 1) parts.push(t.toUpperCase());
      else if (shape === 2) parts.push(t.slice(Math.floor(next() * t.length)));
      else if (shape === 3) parts.push(t.slice(0, Math.ceil(next() * t.length)));
      else if (shape === 4) parts.push(`${pick(keywords)}${'A1b2'.repeat(Math.floor(next() * 40))}`);
      else parts.push(`${pick(keywords)} = "${pick(texts).slice(0, 80)}"`);
      parts.push(pick(['', '\n', ' ', '\n\n', '"', 'x'.repeat(Math.floor(next() * 300)), `\n${'y'.repeat(Math.floor(next() * 200))}\n`]));
    }
    out.push(parts.join(''));
  }
  return out;
}

describe('scan windows find exactly the whole-file matches', () => {
  const texts = fixtureTexts();
  it.each([
    ['built-in', builtinRuleSet()],
    ['gitleaks.toml', parseRuleFile(gitleaksToml(), 'gitleaks.toml')],
  ] as const)('%s rules, on every fixture text and on texts built to hit window edges', (_label, set) => {
    const detector = new SecretDetector(set);
    // Most rules are windowed (else this test would prove little).
    const windowed = set.rules.filter((r) => r.regex && detector.reachOf(r) !== null).length;
    expect(windowed).toBeGreaterThan(set.rules.filter((r) => r.regex).length * 0.8);
    const all = [...texts, ...edgeCases(texts, set)];
    expect(all.length).toBeGreaterThan(1000);
    const wrong = all.flatMap((t) => windowMismatches(detector, Buffer.from(t, 'utf8')));
    expect(wrong).toEqual([]);
  });

  it('a rule without keywords, or whose matches can avoid its keywords, is scanned whole', () => {
    const [noKeywords, bypass] = parseRuleFile(
      `[[rules]]\nid = "any"\nregex = '''any_[a-z0-9]{8}'''\n\n[[rules]]\nid = "either"\nregex = '''(?:tok|pat)_[a-z0-9]{8}'''\nkeywords = ["tok_"]\n`,
      'test',
    ).rules as [SecretRule, SecretRule];
    const detector = new SecretDetector({ rules: [noKeywords, bypass], allowlists: [], notes: [] });
    expect(detector.reachOf(noKeywords)).toBeNull();
    expect(detector.reachOf(bypass)).toBeNull();
    const text = Buffer.from(`${'z'.repeat(5000)} tok_ pat_abcd1234 ${'z'.repeat(5000)} any_abcd1234`);
    const seen: Array<[string, number, number]> = [];
    const hits = detector.scanDetailed(text, '', (rule, from, to) => seen.push([rule.id, from, to])).hits;
    expect(seen).toEqual([['any', 0, text.length], ['either', 0, text.length]]);
    expect(hits.map((h) => h.secret).sort()).toEqual(['any_abcd1234', 'pat_abcd1234']);
  });

  it('a file with a character RE2 folds onto an ASCII letter (Kelvin sign, long s) is scanned whole', () => {
    const rule = parseRuleFile(`[[rules]]\nid = "kv"\nregex = '''(?i)kv_[0-9]{8}'''\nkeywords = ["kv_"]\n`, 'test').rules[0]!;
    const detector = new SecretDetector({ rules: [rule], allowlists: [], notes: [] });
    expect(detector.reachOf(rule)).not.toBeNull();
    // U+212A matches (?i)k in RE2, but the keyword prefilter (ASCII case) does not see "kv_" there.
    const text = Buffer.from(`kv_ ${'z'.repeat(3000)} \u212av_12345678 ${'z'.repeat(3000)}`);
    const seen: Match[] = [];
    const hits = detector.scanDetailed(text, '', (_r, from, to) => seen.push([from, to])).hits;
    expect(seen).toEqual([[0, text.length]]);
    expect(hits).toHaveLength(1);
  });
});

describe('keyword reach and windows', () => {
  const lines = (s: string) => new NewlineIndex(Buffer.from(s));

  it('bounds a fixed-length match around its keyword, and none when a match can avoid it', () => {
    expect(keywordReach('abc_[0-9a-f]{32}', ['abc_'])).toEqual({ before: { bytes: 0, newlines: 0 }, after: { bytes: 36, newlines: 0 } });
    expect(keywordReach('(?i)(?:key|token)[ =]{1,3}[a-z]{10}', ['key', 'token'])).toEqual({
      before: { bytes: 0, newlines: 0 },
      after: { bytes: 18, newlines: 0 },
    });
    expect(keywordReach('[a-z]{0,5}(?:foo|bar)1', ['foo'])).toBeNull();
    expect(keywordReach('x+', [])).toBeNull();
    expect(keywordReach('schlüssel=[0-9]+', ['schlüssel'])).toBeNull(); // the prefilter folds ASCII only
  });

  it('bounds an unbounded match by lines when it cannot cross a newline', () => {
    const reach = keywordReach('[^\\n]*secret=[a-z]+', ['secret'])!;
    expect(reach.before).toEqual({ bytes: Infinity, newlines: 0 });
    expect(reach.after).toEqual({ bytes: Infinity, newlines: 0 });
    const text = 'aaa\nxx secret=abc yy\nbbb';
    const hit = text.indexOf('secret');
    // From the start of the keyword's line to one past its end (the newline, which no match holds).
    expect([...scanWindows(Int32Array.of(hit), reach, lines(text), text.length)]).toEqual([4, text.indexOf('\nbbb') + 1]);
  });

  it('ends a window one byte past the reach, and merges windows that touch', () => {
    const reach = { before: { bytes: 2, newlines: Infinity }, after: { bytes: 5, newlines: Infinity } };
    const l = lines('x'.repeat(100));
    expect([...scanWindows(Int32Array.of(10), reach, l, 100)]).toEqual([8, 16]);
    expect([...scanWindows(Int32Array.of(10, 18), reach, l, 100)]).toEqual([8, 24]);
    expect([...scanWindows(Int32Array.of(10, 19), reach, l, 100)]).toEqual([8, 16, 17, 25]);
    expect([...scanWindows(Int32Array.of(1, 97), reach, l, 100)]).toEqual([0, 7, 95, 100]);
    expect([...joinNear(Int32Array.of(0, 7, 17, 25, 95, 100), 11)]).toEqual([0, 25, 95, 100]);
    expect([...joinNear(Int32Array.of(0, 7, 17, 25), 10)]).toEqual([0, 7, 17, 25]);
  });
});
