import { describe, expect, it } from 'vitest';
import { SecretDetector } from './detector.ts';
import { parseRuleFile, RuleFileError } from './rules.ts';

describe('gitleaks rule files', () => {
  it('invalid TOML is a RuleFileError naming the file', () => {
    expect(() => parseRuleFile('[[rules]\nid=', 'mine.toml')).toThrow(RuleFileError);
    expect(() => parseRuleFile('[[rules]\nid=', 'mine.toml')).toThrow(/mine\.toml/);
  });
  it('a rule RE2 rejects (or that cannot be translated) is skipped with a note; the others load', () => {
    const set = parseRuleFile(`[[rules]]\nid = "bad"\nregex = '''a++'''\n\n[[rules]]\nid = "good"\nregex = '''tok_[a-z]{8}'''\nkeywords = ["tok_"]\n`, 'mine.toml');
    expect(set.rules.map((r) => r.id)).toEqual(['good']);
    expect(set.notes).toEqual([expect.stringMatching(/mine\.toml: rule 'bad' skipped: .*nested repetition/)]);
  });
  it('secretGroup, entropy, rule allowlists (regexTarget, AND condition, stopwords) and [extend] disabledRules', () => {
    const set = parseRuleFile(
      `[extend]
disabledRules = ["off"]

[[rules]]
id = "off"
regex = '''x'''

[[rules]]
id = "pair"
regex = '''(key)=([A-Za-z0-9]{12})'''
secretGroup = 2
entropy = 3.0
keywords = ["key="]
[[rules.allowlists]]
condition = "AND"
paths = ['''^/allowed/''']
stopwords = ["sample"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\\s*ignore''']
`,
      'x.toml',
    );
    expect(set.rules.map((r) => r.id)).toEqual(['pair']);
    const d = new SecretDetector(set);
    expect(d.scanString('key=Ab3dE6gH9jK2', '/app/a').map((h) => h.secret)).toEqual(['Ab3dE6gH9jK2']);
    expect(d.scanString('key=aaaaaaaaaaaa', '/app/a')).toEqual([]); // entropy
    expect(d.scanString('key=Ab3dE6gH9jK2 # ignore', '/app/a')).toEqual([]); // line allowlist
    expect(d.scanString('key=sampleX9qZ2w', '/allowed/a')).toEqual([]); // AND: path and stopword
    expect(d.scanString('key=sampleX9qZ2w', '/app/a')).toHaveLength(1); // AND: stopword alone is not enough
  });
});
