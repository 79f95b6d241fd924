import { describe, expect, it } from 'vitest';
import { builtinRuleSet } from './builtin-rules.ts';
import { preferSpecific, SecretDetector } from './detector.ts';
import { shannonEntropy } from './entropy.ts';
import { resolveRuleFile } from './rule-file.ts';
import { resolveRuleSets } from './rule-sets.ts';
import { parseRuleFile, RuleFileError } from './rules.ts';

const ids = (d: SecretDetector, text: string, path = '') => d.scanString(text, path).map((h) => `${h.rule.id}:${h.secret}`);
const detector = (toml: string) => new SecretDetector(parseRuleFile(toml, 'mine.toml'));

describe('gitleaks rule files: loading', () => {
  it('invalid TOML is a RuleFileError naming the file', () => {
    expect(() => parseRuleFile('[[rules]\nid=', 'mine.toml')).toThrow(/mine\.toml: invalid TOML/);
  });
  it('refuses, naming rule and construct, what gitleaks refuses or Shipshape cannot honour', () => {
    const cases: Array<[string, RegExp]> = [
      [`[[rules]]\nid = "bad"\nregex = '''a++'''`, /rule 'bad': regex is not a valid RE2 regex/],
      [`[[rules]]\nid = "look"\nregex = '''(?=a)b'''`, /rule 'look': regex is not a valid RE2 regex/],
      [`[[rules]]\nid = "js"\nregex = '''\\u0041'''`, /rule 'js': regex .*\\u \(UTF-16 escape\)/],
      [`[[rules]]\nid = "grp"\nregex = '''(a)'''\nsecretGroup = 2`, /rule 'grp': secretGroup 2 but the regex has 1 group/],
      [`[[rules]]\nid = "k"\nregex = '''a'''\nsecretgrup = 1`, /rule 'k': unknown key 'secretgrup'/],
      [`[[rules]]\nid = "e"\n`, /rule 'e': both regex and path are empty/],
      [`[[rules]]\nregex = '''a'''`, /rule #1 has no id/],
      [`[[rules]]\nid = "a"\nregex = '''a'''\n[[rules.allowlists]]\ndescription = "nothing"`, /rule 'a' allowlist #1: an allowlist must contain at least one/],
      [`[[rules]]\nid = "a"\nregex = '''a'''\n[[rules.allowlists]]\ncondition = "XOR"\nregexes = ['''x''']`, /unknown condition 'XOR'/],
      [`[[rules]]\nid = "a"\nregex = '''a'''\n[[rules.allowlists]]\nregexTarget = "file"\nregexes = ['''x''']`, /unknown regexTarget 'file'/],
      [`[extend]\npath = "/etc/other.toml"\n[[rules]]\nid = "a"\nregex = '''a'''`, /\[extend\] path is not supported/],
      [`[[allowlists]]\ntargetRules = ["nope"]\nregexes = ['''x''']\n[[rules]]\nid = "a"\nregex = '''a'''`, /targetRules names 'nope', which is not a rule/],
      [`[[rules]]\nid = "a"\nregex = '''a'''\n[[rules.required]]\nid = "nope"`, /rule 'a': \[\[rules.required\]\] names 'nope'/],
      [`[allowlist]\nregexes = ['''x''']\n[[allowlists]]\nregexes = ['''y''']`, /\[allowlist\] cannot be used alongside \[\[allowlists\]\]/],
    ];
    for (const [toml, message] of cases) {
      expect(() => parseRuleFile(toml, 'mine.toml'), toml).toThrow(RuleFileError);
      expect(() => parseRuleFile(toml, 'mine.toml'), toml).toThrow(message);
    }
  });
  it('keys are case-insensitive (as viper reads them); the old [rules.allowlist] table is accepted', () => {
    const d = detector(`[[rules]]\nID = "pair"\nRegex = '''(key)=(\\w+)'''\nSecretGroup = 2\n[rules.allowlist]\nStopWords = ["sample"]\n`);
    expect(ids(d, 'key=abc key=mysample')).toEqual(['pair:abc']);
  });
  it('a later rule with the same id replaces the earlier one', () => {
    expect(parseRuleFile(`[[rules]]\nid = "a"\nregex = '''x'''\n[[rules]]\nid = "a"\nregex = '''y'''`).rules.map((r) => r.regex?.source)).toEqual(['y']);
  });
});

describe('gitleaks rule files: detection semantics', () => {
  it('secret: secretGroup, else the first non-empty group, from the rule matched again on its own match', () => {
    const d = detector(`[[rules]]\nid = "g"\nregex = '''(?:(a)|(b))=(\\w+)'''\n[[rules]]\nid = "s"\nregex = '''(x)=(\\w+)'''\nsecretGroup = 2\n`);
    expect(ids(d, 'b=zz x=yy')).toEqual(['g:b', 's:yy']);
    // The match ("\ntok=") is trimmed of newlines and matched again alone; without its "\n" the
    // rule no longer matches, so (as in gitleaks) the trimmed match itself is the secret.
    const anchored = detector(`[[rules]]\nid = "n"\nregex = '''\\n(?:^tok=(\\w+)|(\\w+)=)'''\n`);
    expect(ids(anchored, 'x\ntok=abc')).toEqual(['n:tok=']);
  });
  it('entropy: Shannon entropy of the secret; at or below the bar there is no finding', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    // gitleaks counts characters but divides by bytes: "éé" is one character twice in 4 bytes.
    expect(shannonEntropy('éé')).toBeCloseTo(-0.5 * Math.log2(0.5), 10);
    const d = detector(`[[rules]]\nid = "e"\nregex = '''k=(\\w+)'''\nentropy = 2\n`);
    expect(ids(d, 'k=abcd k=abcde k=aaaaaa')).toEqual(['e:abcde']);
  });
  it('keywords gate a rule, case-insensitively; a rule without keywords always runs', () => {
    const d = detector(`[[rules]]\nid = "kw"\nregex = '''v=(\\d+)'''\nkeywords = ["Token"]\n[[rules]]\nid = "all"\nregex = '''w=(\\d+)'''\n`);
    expect(ids(d, 'v=1 w=2')).toEqual(['all:2']);
    expect(ids(d, 'TOKEN v=1')).toEqual(['kw:1']);
  });
  it('path-only and path+regex rules', () => {
    const set = parseRuleFile(`[[rules]]\nid = "p12"\npath = '''\\.p12$'''\n[[rules]]\nid = "envonly"\npath = '''\\.env$'''\nregex = '''K=(\\w+)'''\n`);
    const d = new SecretDetector(set);
    expect(d.pathHits('/x/cert.p12').map((h) => h.rule.id)).toEqual(['p12']);
    expect(d.hasPathRule('/x/cert.p12')).toBe(true);
    expect(ids(d, 'K=abc', '/app/.env')).toEqual(['envonly:abc']);
    expect(ids(d, 'K=abc', '/app/a.txt')).toEqual([]);
  });
  it('allowlists: OR and AND, regexTarget secret/match/line, stopwords, paths; global and targeted', () => {
    const d = detector(`
[[allowlists]]
paths = ['''^/vendor/''']
[[allowlists]]
targetRules = ["r"]
regexes = ['''^zz''']
[[rules]]
id = "r"
regex = '''(key)=(\\w+)'''
secretGroup = 2
[[rules.allowlists]]
condition = "AND"
paths = ['''^/allowed/''']
stopwords = ["sample"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\\s*ignore''']
[[rules.allowlists]]
regexTarget = "match"
regexes = ['''^key=q''']
`);
    expect(ids(d, 'key=Ab3dE6', '/app/a')).toEqual(['r:Ab3dE6']);
    expect(ids(d, 'key=Ab3dE6', '/vendor/a')).toEqual([]); // global path
    expect(d.pathAllowed('/vendor/a')).toBe(true);
    expect(ids(d, 'key=zzTop', '/app/a')).toEqual([]); // targeted global allowlist
    expect(ids(d, 'key=Ab3dE6 # ignore', '/app/a')).toEqual([]); // line
    expect(ids(d, 'key=qwerty', '/app/a')).toEqual([]); // match
    expect(ids(d, 'key=sampleX9', '/allowed/a')).toEqual([]); // AND: path and stopword
    expect(ids(d, 'key=sampleX9', '/app/a')).toEqual(['r:sampleX9']); // AND: the stopword alone is not enough
  });
  it('an allowlist of commits never matches (image files have no commit), as in a gitleaks directory scan', () => {
    const d = detector(`[[rules]]\nid = "c"\nregex = '''k=(\\w+)'''\n[[rules.allowlists]]\ncommits = ["abc123"]\n`);
    expect(ids(d, 'k=v')).toEqual(['c:v']);
  });
  it('gitleaks:allow on the line allows the finding', () => {
    const d = detector(`[[rules]]\nid = "a"\nregex = '''k=(\\w+)'''\n`);
    expect(ids(d, 'k=one\nk=two # gitleaks:allow\nk=three')).toEqual(['a:one']);
  });
  it('composite rules: a finding stands with a required rule found within the given lines; skipReport rules report only as parts', () => {
    const d = detector(`
[[rules]]
id = "id"
regex = '''id=(\\w+)'''
skipReport = true
[[rules]]
id = "secret"
regex = '''secret=(\\w+)'''
[[rules.required]]
id = "id"
withinLines = 1
`);
    expect(ids(d, 'id=1\nsecret=s')).toEqual(['secret:s']);
    expect(ids(d, 'id=1\n\n\nsecret=s')).toEqual([]);
  });
  it('generic findings yield to a specific rule that found the same secret on the line (report filter)', () => {
    const d = detector(`[[rules]]\nid = "generic-key"\nregex = '''key=(\\w+)'''\n[[rules]]\nid = "acme"\nregex = '''(acme_\\w+)'''\n`);
    const hits = d.scanString('key=acme_123', '');
    expect(hits.map((h) => h.rule.id).sort()).toEqual(['acme', 'generic-key']);
    expect(preferSpecific(hits).map((h) => h.rule.id)).toEqual(['acme']);
  });
});

describe('a user file replaces the built-in rules unless [extend] useDefault = true', () => {
  const builtin = builtinRuleSet();
  it('without [extend]: only the file rules; [extend] disabledRules alone does nothing (with a note)', () => {
    const set = resolveRuleSets([parseRuleFile(`[extend]\ndisabledRules = ["jwt"]\n[[rules]]\nid = "mine"\nregex = '''m'''`, 'u.toml')], builtin);
    expect(set.rules.map((r) => r.id)).toEqual(['mine']);
    expect(set.notes.join('\n')).toMatch(/disabledRules has no effect without useDefault/);
  });
  it('with useDefault: built-in minus disabledRules, plus the file; a shared id merges as gitleaks extends', () => {
    const set = resolveRuleFile(
      `[extend]\nuseDefault = true\ndisabledRules = ["jwt"]\n[[rules]]\nid = "mine"\nregex = '''m'''\n[[rules]]\nid = "github-token"\nkeywords = ["extra"]\nentropy = 4.5\n[[rules.allowlists]]\nregexes = ['''^ghp_0''']\n`,
      'u.toml',
    );
    const idsOf = set.rules.map((r) => r.id);
    expect(idsOf).toContain('mine');
    expect(idsOf).not.toContain('jwt');
    expect(idsOf.length).toBe(builtin.rules.length);
    const gh = set.rules.find((r) => r.id === 'github-token')!;
    const base = builtin.rules.find((r) => r.id === 'github-token')!;
    expect(gh.regex).toBe(base.regex);
    expect(gh.entropy).toBe(4.5);
    expect(gh.keywords).toEqual([...base.keywords, 'extra']);
    expect(gh.allowlists.length).toBe(base.allowlists.length + 1);
    expect(set.allowlists.length).toBe(builtin.allowlists.length);
  });
  it('with useDefault, targetRules may name a built-in rule', () => {
    const set = resolveRuleFile(`[extend]\nuseDefault = true\n[[allowlists]]\ntargetRules = ["jwt"]\nregexes = ['''x''']\n`, 'u.toml');
    const jwt = set.rules.find((r) => r.id === 'jwt')!;
    expect(jwt.allowlists.length).toBe(builtin.rules.find((r) => r.id === 'jwt')!.allowlists.length + 1);
  });
});
