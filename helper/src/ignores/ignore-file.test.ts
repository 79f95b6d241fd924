import { describe, expect, it } from 'vitest';
import { ignoreFileRules, parseIgnoreFile } from './ignore-file.ts';
import { splitReport } from './match.ts';
import { malware, report, secret, vuln } from './testing.ts';

describe('.trivyignore files', () => {
  it('reads IDs, comments and exp: dates', () => {
    const text = '# accepted for now\nCVE-2021-23337\n\n  GHSA-78xj-cgh5-2h22 exp:2026-01-31   # no fix upstream\nprivate-key\r\n';
    expect(parseIgnoreFile(text, '.trivyignore')).toEqual([
      { id: 'CVE-2021-23337', expiresAt: null, line: 2 },
      { id: 'GHSA-78xj-cgh5-2h22', expiresAt: '2026-01-31', line: 4 },
      { id: 'private-key', expiresAt: null, line: 5 },
    ]);
  });

  it('names the line of anything it does not understand', () => {
    expect(() => parseIgnoreFile('CVE-1\nCVE-2 exp:2026-13-01\n', 'x')).toThrow('x:2: exp:2026-13-01 is not a date YYYY-MM-DD');
    expect(() => parseIgnoreFile('CVE-1 until:2026-01-01\n', 'x')).toThrow("x:1: 'until:2026-01-01' is not understood");
  });

  it('an ID covers a vulnerability (or alias), a secret rule or a malware signature, anywhere', () => {
    const rules = ignoreFileRules(parseIgnoreFile('CVE-2021-23337\nprivate-key\nEicar-Test-Signature\n', 'f'), 'f', '2026-01-01T00:00:00Z');
    const r = report({ vulnerabilities: [vuln('GHSA-35jh-r3h4-6jhm', 'lodash@4.17.15', { aliases: ['CVE-2021-23337'] }), vuln('GHSA-2', 'ip@1.1.8')], sensitive: [secret('private-key', '/a'), secret('aws', '/b')], malware: [malware('Eicar-Test-Signature', '/c')] });
    const { active } = splitReport(r, rules);
    expect([active.vulnerabilities!.map((v) => v.id), active.sensitive!.map((s) => s.ruleId), active.malware]).toEqual([['GHSA-2'], ['aws'], []]);
  });
});
