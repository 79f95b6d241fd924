import { describe, expect, it } from 'vitest';
import { inForce, samePackage, splitReport } from './match.ts';
import { IMAGE, OTHER_IMAGE, malware, report, rule, secret, vuln } from './testing.ts';

const now = new Date('2026-06-01T12:00:00Z');

describe('ignore matching', () => {
  it('ignores a vulnerability by ID or alias, in every package or only in one', () => {
    const r = report({ vulnerabilities: [vuln('GHSA-1', 'lodash@4.17.15', { aliases: ['CVE-2021-1'] }), vuln('GHSA-1', 'lodash-es@4.17.15'), vuln('GHSA-2', 'ip@1.1.8')] });
    const byAlias = splitReport(r, [rule({ kind: 'vulnerability', id: 'cve-2021-1', package: null })]);
    expect(byAlias.ignored.vulnerabilities.map((i) => i.item.package.name)).toEqual(['lodash']);
    const inOne = splitReport(r, [rule({ kind: 'vulnerability', id: 'GHSA-1', package: 'pkg:npm/lodash-es@4.17.15' })]);
    expect(inOne.active.vulnerabilities!.map((v) => `${v.id} ${v.package.name}`)).toEqual(['GHSA-1 lodash', 'GHSA-2 ip']);
    // An ignored vulnerability no longer counts towards priority, so it is no longer "suggested".
    expect(inOne.ignored.vulnerabilities[0]!.item.tags).toEqual(['fixable']);
    const everywhere = splitReport(r, [rule({ kind: 'vulnerability', id: 'GHSA-1', package: null })]);
    expect(everywhere.active.vulnerabilities!.map((v) => v.id)).toEqual(['GHSA-2']);
  });

  it('compares packages by type, namespace, name and version; a purl without version is every version', () => {
    expect(samePackage('pkg:npm/lodash@4.17.15', 'pkg:npm/lodash@4.17.15')).toBe(true);
    expect(samePackage('pkg:npm/lodash@4.17.15', 'pkg:npm/lodash@4.17.20')).toBe(false);
    expect(samePackage('pkg:npm/lodash', 'pkg:npm/lodash@4.17.20')).toBe(true);
    expect(samePackage('pkg:deb/debian/openssl@3.0.11-1', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12')).toBe(true);
    expect(samePackage('pkg:npm/%40scope/x@1', 'pkg:npm/%40scope/y@1')).toBe(false);
    expect(samePackage('pkg:npm/bad%zz@1', 'pkg:npm/bad%zz@1')).toBe(true);
  });

  it('ignores a secret rule at a path and a malware signature at a path (or anywhere)', () => {
    const r = report({ sensitive: [secret('private-key', '/root/.ssh/id_rsa'), secret('private-key', '/srv/key.pem')], malware: [malware('Eicar-Test-Signature', '/opt/eicar.com')] });
    const split = splitReport(r, [rule({ kind: 'secret', ruleId: 'private-key', path: '/root/.ssh/id_rsa' }), rule({ kind: 'malware', signature: 'eicar-test-signature', path: null })]);
    expect(split.active.sensitive!.map((s) => s.path)).toEqual(['/srv/key.pem']);
    expect(split.active.malware).toEqual([]);
    expect(split.ignored.malware).toHaveLength(1);
    // A rule for a vulnerability never hides a secret of the same name.
    expect(splitReport(r, [rule({ kind: 'vulnerability', id: 'private-key', package: null })]).active.sensitive).toHaveLength(2);
  });

  it('applies only the ignores for this image (by ID or registry digest) and not yet expired', () => {
    const rules = [
      rule({ kind: 'vulnerability', id: 'A', package: null }, { image: IMAGE }),
      rule({ kind: 'vulnerability', id: 'B', package: null }, { image: OTHER_IMAGE }),
      rule({ kind: 'vulnerability', id: 'C', package: null }, { expiresAt: '2026-06-01' }),
      rule({ kind: 'vulnerability', id: 'D', package: null }, { expiresAt: '2026-06-02' }),
    ];
    expect(inForce(rules, { id: IMAGE }, now).map((r) => r.target)).toEqual([expect.objectContaining({ id: 'A' }), expect.objectContaining({ id: 'D' })]);
    expect(inForce(rules, { id: `sha256:${'c'.repeat(64)}`, digests: [`app@${OTHER_IMAGE}`] }, now).map((r) => (r.target as { id: string }).id)).toEqual(['B', 'D']);
    // Expiry is 00:00 UTC of the date, as .trivyignore's exp:.
    expect(inForce(rules, { id: IMAGE }, new Date('2026-05-31T23:59:59Z')).map((r) => (r.target as { id: string }).id)).toEqual(['A', 'C', 'D']);
  });
});
