import { describe, expect, it } from 'vitest';
import { OPENVEX_CONTEXT, type IgnoreRule, type VexDocument } from '@shipshape/shared';
import { IMAGE, rule } from '../ignores/testing.ts';
import { toOpenVex } from './export.ts';
import { fromOpenVex } from './import.ts';

const now = new Date('2026-06-01T00:00:00Z');
const context = { imagesTagged: (ref: string) => (ref === 'example/app:v1' ? [IMAGE] : []), setBy: 'cli' as const, now };
const doc = (statements: VexDocument['statements']): VexDocument => ({ '@context': OPENVEX_CONTEXT, '@id': 'https://openvex.dev/docs/example/x', author: 'someone', timestamp: '2026-05-01T00:00:00Z', version: 1, statements });
const strip = (rules: Array<Partial<IgnoreRule>>) => rules.map(({ id: _id, ...rest }) => rest);

describe('OpenVEX export and import', () => {
  it('round-trips every kind of ignore exactly (reason, justification, note, expiry, who, image name)', () => {
    const rules = [
      rule({ kind: 'vulnerability', id: 'CVE-2021-23337', package: 'pkg:npm/lodash@4.17.15' }, { image: IMAGE, imageName: 'registry.example/team/app:1.2', reason: 'not_affected', justification: 'inline_mitigations_already_exist', note: 'WAF rule 12' }),
      rule({ kind: 'vulnerability', id: 'GHSA-x', package: null }, { reason: 'accepted', expiresAt: '2027-01-31' }),
      rule({ kind: 'secret', ruleId: 'aws-access-token', path: 'config:Env' }, { image: IMAGE, reason: 'false_positive', setBy: 'cli' }),
      rule({ kind: 'malware', signature: 'Eicar-Test-Signature', path: null }, { reason: 'accepted', note: 'scanner self-test' }),
    ];
    const document = toOpenVex(rules, { author: 'a', tooling: 't', now });
    expect(document.statements[2]!.products![0]!.subcomponents).toEqual([{ '@id': 'urn:shipshape:location:config%3AEnv' }]);
    const back = fromOpenVex(document, context);
    expect(back.skipped).toEqual([]);
    expect(strip(back.ignores)).toEqual(strip(rules));
    // The same ignores give the same document ID.
    expect(toOpenVex(rules, { author: 'a', tooling: 't', now: new Date() })['@id']).toBe(document['@id']);
  });

  it("reads other tools' documents: fixed is a false positive, affected and under_investigation are no ignores, pkg:docker tags resolve here", () => {
    const outcome = fromOpenVex(
      doc([
        { vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:docker/example/app@v1', subcomponents: [{ '@id': 'pkg:npm/express@4.17.1' }, { identifiers: { purl: 'pkg:npm/qs@6.5.2' } }] }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
        { vulnerability: { name: 'CVE-2' }, products: [{ '@id': 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64' }], status: 'fixed' },
        { vulnerability: { name: 'CVE-3' }, status: 'affected', action_statement: 'upgrade' },
        { vulnerability: { name: 'CVE-4' }, status: 'under_investigation' },
        { vulnerability: { name: 'CVE-5' }, products: [{ '@id': 'pkg:docker/other/app@v9' }], status: 'not_affected', impact_statement: 'not ours' },
        { vulnerability: { name: 'CVE-6' }, products: [{ '@id': 'https://example.com/product' }], status: 'not_affected', justification: 'component_not_present' },
        { vulnerability: { name: 'CVE-7' }, products: [{ hashes: { 'sha-256': 'a'.repeat(64) } }], status: 'not_affected', impact_statement: 'mitigated' },
      ]),
      context,
    );
    expect(outcome.ignores.map((i) => [i.target, i.image, i.reason, i.justification, i.setBy, i.createdAt])).toEqual([
      [{ kind: 'vulnerability', id: 'CVE-1', package: 'pkg:npm/express@4.17.1' }, IMAGE, 'not_affected', 'vulnerable_code_not_in_execute_path', 'cli', '2026-05-01T00:00:00.000Z'],
      [{ kind: 'vulnerability', id: 'CVE-1', package: 'pkg:npm/qs@6.5.2' }, IMAGE, 'not_affected', 'vulnerable_code_not_in_execute_path', 'cli', '2026-05-01T00:00:00.000Z'],
      [{ kind: 'vulnerability', id: 'CVE-2', package: 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64' }, null, 'false_positive', null, 'cli', '2026-05-01T00:00:00.000Z'],
      [{ kind: 'vulnerability', id: 'CVE-7', package: null }, IMAGE, 'not_affected', null, 'cli', '2026-05-01T00:00:00.000Z'],
    ]);
    expect(outcome.ignores[3]!.note).toBe('mitigated');
    expect(outcome.skipped.map((s) => [s.statement, s.reason])).toEqual([
      [2, 'affected: the finding stands'],
      [3, 'under investigation: the finding stands until a decision'],
      [4, 'no image tagged other/app:v9 here'],
      [5, 'product https://example.com/product names no image, package or file Shipshape knows how to match'],
    ]);
  });

  it('has nothing to export without ignores', () => {
    expect(() => toOpenVex([], { author: 'a', tooling: 't', now })).toThrow('no ignores in force');
  });
});
