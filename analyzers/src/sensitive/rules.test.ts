import { describe, expect, it } from 'vitest';
import { SecretDetector } from './detector.ts';
import { parseRuleFile, RuleFileError } from './rules.ts';

describe('gitleaks rule files', () => {
  it('invalid TOML is a RuleFileError naming the file', () => {
    expect(() => parseRuleFile('[[rules]\nid=', 'mine.toml')).toThrow(RuleFileError);
    expect(() => parseRuleFile('[[rules]\nid=', 'mine.toml')).toThrow(/mine\.toml/);
  });
  it('a file that is not TOML is refused by line and column, without quoting its text', () => {
    const shadowLike = 'root:$6$Jq8xH1sPzQ$Kx7Vn2Lw9Tb4Yc1Hd5Jf0Ga2Ke4R7s2Xk9QmPz4:19000:0:99999:7:::\n';
    const error = (() => {
      try {
        parseRuleFile(shadowLike, 'shadow');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(RuleFileError);
    expect(error!.message).toMatch(/^shadow: invalid TOML: .* at line 1, column \d+$/);
    expect(error!.message).not.toContain('Jq8xH1sPzQ');
    expect(error!.message).not.toContain('root:');
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
