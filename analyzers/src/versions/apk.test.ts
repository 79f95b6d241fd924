import { describe, expect, it } from 'vitest';
import { apkFuzzyMatch, compareVersions, isValidVersion } from './index.ts';
import { failures, holds, readText, readTsv } from './testdata.ts';

const cmp = (a: string, b: string) => compareVersions('Alpine', a, b);

/**
 * apk-version.data: apk-tools' test/unit/version.data. Lines are `a op b` (op `<`, `>`, `=`,
 * `~` fuzzy, `<~` less-or-fuzzy, or `!op` negated), `version` (must be valid), `!version`
 * (must be invalid); `#` starts a comment.
 */
function apkDataFailures(): string[] {
  const bad: string[] = [];
  readText('apk-version.data')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') return;
      const fields = line.split(/\s+/);
      if (fields.length === 1) {
        const f = fields[0]!;
        const wantValid = !f.startsWith('!');
        const v = wantValid ? f : f.slice(1);
        if (isValidVersion('Alpine', v) !== wantValid) bad.push(`line ${i + 1}: ${f} validity`);
        return;
      }
      const [a, rawOp, b] = fields as [string, string, string];
      const negate = rawOp.startsWith('!');
      const op = negate ? rawOp.slice(1) : rawOp;
      let ok: boolean;
      if (op === '~') ok = apkFuzzyMatch(a, b);
      else if (op === '<~') ok = cmp(a, b) < 0 || apkFuzzyMatch(a, b);
      else ok = holds(op, cmp(a, b));
      if (ok === negate) bad.push(`line ${i + 1}: ${line} (cmp ${cmp(a, b)})`);
    });
  return bad;
}

describe('apk version order', () => {
  it('agrees with every line of apk-tools version.data (order, fuzzy, validity)', () => {
    expect(apkDataFailures()).toEqual([]);
  });
  // OSV-Scanner's hand-written Alpine cases.
  it('agrees with osv-scalibr alpine-versions.tsv', () => {
    expect(failures(readTsv('osv-scalibr/alpine-versions.tsv'), cmp)).toEqual([]);
  });
  // Chains of real Alpine versions from OSV advisories, ordered by apk-tools.
  it('agrees with osv-scalibr alpine-versions-generated.tsv chains', () => {
    expect(failures(readTsv('osv-scalibr/alpine-versions-generated.tsv'), cmp)).toEqual([]);
  });
  it('follows apk where a suffix has no number: newer only when a post-release suffix follows', () => {
    expect(cmp('1_alpha_p', '1_alpha1')).toBeGreaterThan(0);
    expect(cmp('1_alpha_beta', '1_alpha1')).toBeLessThan(0);
    expect(cmp('1_alpha', '1_alpha1')).toBeLessThan(0);
    expect(cmp('1.2a', '1.2_p')).toBeGreaterThan(0);
    expect(cmp('1.0~abc-r1', '1.0-r1')).toBeGreaterThan(0);
  });
  it('accepts release suffixes', () => {
    expect(compareVersions('Alpine:v3.19', '1.2.3-r0', '1.2.3-r1')).toBeLessThan(0);
  });
});
