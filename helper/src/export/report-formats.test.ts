import { describe, expect, it } from 'vitest';
import type { ScanReport } from '@shipshape/shared';
import { serializeReport } from './report-formats.ts';

const layer = { diffId: 'sha256:l1', createdBy: 'RUN apt-get install' };
const report: ScanReport = {
  image: { id: 'sha256:' + 'a'.repeat(64), tags: ['demo:1'], os: { family: 'debian', version: '12' }, architecture: 'amd64', layers: [] },
  packages: [
    { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2', sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', paths: ['/var/lib/dpkg/status'], layer },
    { ecosystem: 'npm', name: 'lodash', version: '4.17.20', sourceName: null, sourceVersion: null, purl: 'pkg:npm/lodash@4.17.20', paths: ['/app/node_modules/lodash/package.json'], layer },
  ],
  vulnerabilities: [
    {
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      details: 'details',
      severity: 'high',
      cvss: { score: 7.2, vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
      package: { ecosystem: 'npm', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
      fixedVersions: ['4.17.21'],
      fixStatus: 'fixed',
      fixCommand: 'npm install lodash@4.17.21',
      references: [],
      published: '2021-02-15T00:00:00Z',
      modified: null,
      layer,
      tags: ['fixable', 'suggested'],
    },
  ],
  sensitive: [],
  malware: [],
  notes: [],
};

describe('report formats', () => {
  it('CycloneDX: the image, its components with purls, and the vulnerability affecting lodash', () => {
    const bom = JSON.parse(serializeReport(report, 'cyclonedx', '0.1.0').body);
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.5');
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'demo:1' });
    expect(bom.components.map((c: { purl: string }) => c.purl)).toContain('pkg:npm/lodash@4.17.20');
    expect(bom.vulnerabilities[0]).toMatchObject({ id: 'GHSA-35jh-r3h4-6jhm', affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] });
    expect(bom.vulnerabilities[0].ratings[0]).toMatchObject({ severity: 'high', score: 7.2 });
  });

  it('SPDX 2.3: describes the image, every package contained by it, purls as external refs', () => {
    const doc = JSON.parse(serializeReport(report, 'spdx', '0.1.0').body);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    expect(doc.packages).toHaveLength(3);
    const ids = new Set(doc.packages.map((p: { SPDXID: string }) => p.SPDXID));
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    expect(doc.relationships.filter((r: { relationshipType: string }) => r.relationshipType === 'CONTAINED_BY')).toHaveLength(2);
    const lodash = doc.packages.find((p: { name: string }) => p.name === 'lodash');
    expect(lodash.externalRefs.map((r: { referenceType: string }) => r.referenceType)).toEqual(['purl', 'advisory']);
    expect(doc.creationInfo.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('SARIF 2.1.0: one result per finding with a rule', () => {
    const sarif = JSON.parse(serializeReport(report, 'sarif', '0.1.0').body);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'GHSA-35jh-r3h4-6jhm', level: 'error' });
    expect(sarif.runs[0].tool.driver.rules[0].id).toBe('GHSA-35jh-r3h4-6jhm');
  });

  it('every format says which categories were not checked (no verdict for them)', () => {
    const incomplete: ScanReport = { ...report, vulnerabilities: [], notChecked: [{ category: 'vulnerabilities', reason: 'no vulnerability data' }] };
    const sarif = JSON.parse(serializeReport(incomplete, 'sarif', '0.1.0').body);
    expect(sarif.runs[0].invocations[0]).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', descriptor: { id: 'not-checked/vulnerabilities' }, message: { text: 'vulnerabilities not checked: no vulnerability data' } }],
    });
    expect(sarif.runs[0].properties.notChecked).toEqual(incomplete.notChecked);
    expect(JSON.parse(serializeReport(report, 'sarif', '0.1.0').body).runs[0].invocations[0]).toEqual({ executionSuccessful: true });
    const bom = JSON.parse(serializeReport(incomplete, 'cyclonedx', '0.1.0').body);
    expect(bom.metadata.properties).toEqual([{ name: 'shipshape:notChecked:vulnerabilities', value: 'no vulnerability data' }]);
    const spdx = JSON.parse(serializeReport(incomplete, 'spdx', '0.1.0').body);
    expect(spdx.comment).toBe('Incomplete scan: vulnerabilities not checked: no vulnerability data');
    expect(JSON.parse(serializeReport(incomplete, 'json', '0.1.0').body).notChecked).toEqual(incomplete.notChecked);
  });
});
