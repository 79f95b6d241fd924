/** Ignores and VEX through the API: findings move to `ignored`, counts follow, OpenVEX goes out and back in. */
import { afterEach, describe, expect, it } from 'vitest';
import type { IgnoreItem, ImageDetail, ScanTask, VexDocument, VexImportResult, VulnerabilityList } from '@shipshape/shared';
import { malware, report, secret, vuln } from '../ignores/testing.ts';
import { scanTestApp } from '../testing/scan-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const ORIGIN = `chrome-extension://${'a'.repeat(32)}`;
const findings = (id: string) =>
  report({ vulnerabilities: [vuln('GHSA-35jh-r3h4-6jhm', 'lodash@4.17.15', { aliases: ['CVE-2021-23337'] })], sensitive: [secret('private-key', '/root/.ssh/id_rsa')], malware: [malware('Eicar-Test-Signature', '/opt/eicar.com')] }, id);

async function scanned() {
  const t = await scanTestApp({ report: findings });
  closers.push(t.close);
  const task = await t.call<ScanTask>('/api/scans', { method: 'POST', body: { images: 'all' } });
  await t.scans.engine.waitForTask(task.body.id);
  t.base.pairedOrigins.push(ORIGIN);
  return t;
}

describe('ignore routes', () => {
  it('ignores a vulnerability for one image and a secret for all: lists, counts and status follow; delete brings them back', async () => {
    const { call } = await scanned();
    const vulnIgnore = await call<IgnoreItem>('/api/ignores', {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: { target: { kind: 'vulnerability', id: 'CVE-2021-23337', package: 'pkg:npm/lodash@4.17.15' }, image: 'aaaa', reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', expiresAt: '2099-01-01' },
    });
    expect(vulnIgnore.status).toBe(201);
    expect(vulnIgnore.body).toMatchObject({ image: A, imageName: 'app:1', setBy: 'browser', expired: false, note: '' });
    const secretIgnore = await call<IgnoreItem>('/api/ignores', { method: 'POST', body: { target: { kind: 'secret', ruleId: 'private-key', path: '/root/.ssh/id_rsa' }, image: null, reason: 'false_positive', note: 'test key' } });
    expect(secretIgnore.body).toMatchObject({ image: null, setBy: 'cli' });

    const list = await call<VulnerabilityList>('/api/images/aaaa/vulnerabilities');
    expect(list.body).toMatchObject({ total: 0, items: [] });
    expect(list.body.ignored.map((i) => [i.item.id, i.ignore.id])).toEqual([['GHSA-35jh-r3h4-6jhm', vulnIgnore.body.id]]);
    expect((await call<VulnerabilityList>('/api/images/bbbb/vulnerabilities')).body).toMatchObject({ total: 1, ignored: [] });
    expect((await call<{ total: number; ignored: unknown[] }>('/api/images/bbbb/sensitive')).body).toMatchObject({ total: 0, ignored: [expect.anything()] });
    const a = (await call<ImageDetail>('/api/images/aaaa')).body;
    expect(a.risks).toEqual({ vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 }, sensitive: 0, viruses: 1, trojans: 0 });
    expect((await call<ImageDetail>('/api/images/bbbb')).body.risks.vulnerabilities.critical).toBe(1);
    expect((await call<{ vulnerabilities: { total: number }; sensitive: number }>('/api/dashboard')).body).toMatchObject({ vulnerabilities: { total: 1 }, sensitive: 0 });
    expect((await call<{ items: IgnoreItem[] }>('/api/ignores?image=bbbb')).body.items.map((i) => i.id)).toEqual([secretIgnore.body.id]);
    // The SARIF download keeps ignored findings as suppressed results.
    const sarif = (await call<{ runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> }>('/api/images/aaaa/report?format=sarif')).body;
    expect(sarif.runs[0]!.results.map((r) => [r.ruleId, Boolean(r.suppressions)])).toEqual([['GHSA-35jh-r3h4-6jhm', true], ['private-key', true], ['Eicar-Test-Signature', false]]);

    expect((await call(`/api/ignores/${vulnIgnore.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call<ImageDetail>('/api/images/aaaa')).body.risks.vulnerabilities.critical).toBe(1);
    expect((await call(`/api/ignores/${vulnIgnore.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses what cannot be an ignore, saying which field and why', async () => {
    const { call } = await scanned();
    const post = (body: unknown) => call<{ error: { field: string; message: string } }>('/api/ignores', { method: 'POST', body });
    const target = { kind: 'vulnerability', id: 'GHSA-1' };
    expect((await post({ target, image: null, reason: 'not_affected' })).body.error).toMatchObject({ field: 'justification' });
    expect((await post({ target, image: null, reason: 'accepted', expiresAt: '2020-01-01' })).body.error.message).toMatch(/already passed/);
    expect((await post({ target, image: null, reason: 'accepted', expiresAt: '2026-02-30' })).body.error.field).toBe('expiresAt');
    expect((await post({ target, image: 'cccc', reason: 'accepted' })).status).toBe(404);
    expect((await post({ target: { kind: 'secret', ruleId: 'x' }, image: null, reason: 'accepted' })).body.error.field).toBe('target.path');
    expect((await post({ target: { ...target, package: 'lodash' }, image: null, reason: 'accepted' })).body.error.field).toBe('target.package');
    expect((await post({ target, image: null, reason: 'meh' })).body.error.field).toBe('reason');
    expect((await call('/api/ignores/not%20an%20id', { method: 'DELETE' })).status).toBe(400);
    expect((await call('/api/vex')).status).toBe(404);
    expect((await call<{ error: { field: string } }>('/api/vex', { method: 'POST', body: { '@context': 'https://openvex.dev/ns/v0.2.0' } })).body.error.field).toBe('@id');
  });

  it('exports the ignores as OpenVEX and a fresh helper imports the same ignores', async () => {
    const first = await scanned();
    const bodies = [
      { target: { kind: 'vulnerability', id: 'GHSA-35jh-r3h4-6jhm', package: 'pkg:npm/lodash@4.17.15' }, image: 'aaaa', reason: 'not_affected', justification: 'vulnerable_code_not_present', note: 'we never call template()' },
      { target: { kind: 'vulnerability', id: 'GHSA-x', package: null }, image: null, reason: 'accepted', expiresAt: '2099-12-31', note: 'until the next release' },
      { target: { kind: 'secret', ruleId: 'private-key', path: '/root/.ssh/id_rsa' }, image: null, reason: 'false_positive' },
      { target: { kind: 'malware', signature: 'Eicar-Test-Signature', path: '/opt/eicar.com' }, image: 'bbbb', reason: 'accepted' },
    ];
    for (const body of bodies) expect((await first.call('/api/ignores', { method: 'POST', body })).status).toBe(201);
    const exported = await first.call<VexDocument>('/api/vex?author=Team%20Blue');
    expect(exported.body).toMatchObject({ '@context': 'https://openvex.dev/ns/v0.2.0', author: 'Team Blue', version: 1 });
    expect(exported.body.statements.map((s) => s.status)).toEqual(['not_affected', 'affected', 'not_affected', 'affected']);
    expect(exported.body.statements[0]!.products![0]).toMatchObject({ '@id': `pkg:oci/app@${A}?repository_url=app&tag=1`, hashes: { 'sha-256': 'a'.repeat(64) }, subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.15' }] });
    expect(exported.body.statements[2]!.products).toEqual([{ '@id': 'file:///root/.ssh/id_rsa' }]);
    expect(exported.body.statements[1]!.products).toBeUndefined();

    const second = await scanned();
    const imported = await second.call<VexImportResult>('/api/vex', { method: 'POST', body: exported.body });
    expect(imported.body).toEqual({ imported: 4, skipped: [] });
    const strip = (items: IgnoreItem[]) => items.map(({ id: _id, ...rest }) => rest);
    const before = (await first.call<{ items: IgnoreItem[] }>('/api/ignores')).body.items;
    const after = (await second.call<{ items: IgnoreItem[] }>('/api/ignores')).body.items;
    expect(strip(after)).toEqual(strip(before));
    expect((await second.call<ImageDetail>('/api/images/bbbb')).body.risks).toMatchObject({ viruses: 0, sensitive: 0 });
    // Importing the same document again changes nothing: one decision per finding and image.
    await second.call('/api/vex', { method: 'POST', body: exported.body });
    expect((await second.call<{ items: IgnoreItem[] }>('/api/ignores')).body.items).toHaveLength(4);
  });
});
