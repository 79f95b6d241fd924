import { describe, expect, it } from 'vitest';
import { VulnerabilityQuery, type ScanReport, type Vulnerability } from '@shipshape/shared';
import { historyWithFindings, queryVulnerabilities } from './findings.ts';

const layer = { diffId: 'sha256:l1', createdBy: 'RUN apt-get install' };
const vuln = (id: string, severity: Vulnerability['severity'], pkg: string, fixable: boolean): Vulnerability => ({
  id,
  aliases: [`CVE-${id}`],
  summary: `${pkg} bug`,
  details: '',
  severity,
  cvss: { score: null, vector: null },
  package: { ecosystem: 'Debian:12', name: pkg, version: '1', purl: `pkg:deb/debian/${pkg}@1` },
  fixedVersions: fixable ? ['2'] : [],
  fixStatus: fixable ? 'fixed' : 'no fix yet',
  fixCommand: null,
  references: [],
  published: null,
  modified: null,
  layer,
  tags: fixable ? ['fixable'] : [],
});
const report: ScanReport = {
  image: { id: 'sha256:x', tags: [], os: null, architecture: 'amd64', layers: [] },
  packages: [],
  vulnerabilities: [vuln('A', 'low', 'zlib', false), vuln('B', 'critical', 'openssl', true), vuln('C', 'high', 'curl', false)],
  notes: [],
};

describe('finding queries', () => {
  it('filters by severity, fixable and q, most severe first', () => {
    expect(queryVulnerabilities(report, VulnerabilityQuery.parse({})).items.map((v) => v.id)).toEqual(['B', 'C', 'A']);
    expect(queryVulnerabilities(report, VulnerabilityQuery.parse({ severity: 'critical,low' })).total).toBe(2);
    expect(queryVulnerabilities(report, VulnerabilityQuery.parse({ fixable: 'true' })).items.map((v) => v.id)).toEqual(['B']);
    expect(queryVulnerabilities(report, VulnerabilityQuery.parse({ q: 'cve-c' })).items.map((v) => v.id)).toEqual(['C']);
    expect(queryVulnerabilities(report, VulnerabilityQuery.parse({ q: 'zli' })).items.map((v) => v.id)).toEqual(['A']);
  });
  it('attributes findings to the build step whose layer introduced them', () => {
    const steps = historyWithFindings(
      [
        { created: null, createdBy: 'ENV A=1', size: 0, comment: '', emptyLayer: true, diffId: null },
        { created: null, createdBy: 'RUN apt-get install', size: 10, comment: '', emptyLayer: false, diffId: 'sha256:l1' },
      ],
      report,
    );
    expect(steps.map((s) => s.introduced.vulnerabilities)).toEqual([0, 3]);
  });
});
