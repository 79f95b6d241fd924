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

describe('exploit filters and sorts', () => {
  const kev = (dateAdded: string) => ({ cve: 'CVE-X', dateAdded, dueDate: null, ransomware: false, name: null });
  const epss = (score: number) => ({ cve: 'CVE-X', score, percentile: score, date: '2023-05-03' });
  const exploitReport: ScanReport = {
    ...report,
    vulnerabilities: [
      { ...vuln('A', 'critical', 'a', true), epss: epss(0.01) },
      { ...vuln('B', 'low', 'b', true), knownExploited: kev('2023-05-01'), epss: epss(0.5) },
      { ...vuln('C', 'unknown', 'c', true), epss: epss(0.97) },
      { ...vuln('D', 'medium', 'd', true), knownExploited: kev('2021-12-10') },
    ],
  };
  const ids = (query: Record<string, string>) => queryVulnerabilities(exploitReport, VulnerabilityQuery.parse(query)).items.map((v) => v.id);

  it('filters by known-exploited and by minimum EPSS', () => {
    expect(ids({ knownExploited: 'true' })).toEqual(['D', 'B']); // worst first: medium, then low
    expect(ids({ knownExploited: 'false', sort: 'id', order: 'asc' })).toEqual(['A', 'C']);
    expect(ids({ epssMin: '0.4', sort: 'id', order: 'asc' })).toEqual(['B', 'C']);
  });

  it('sorts by exploitation: known exploited first (newest addition first), then EPSS; and by EPSS alone', () => {
    expect(ids({ sort: 'exploit' })).toEqual(['B', 'D', 'C', 'A']);
    expect(ids({ sort: 'epss' })).toEqual(['C', 'B', 'A', 'D']);
  });

  it('fills the fields for reports stored before they existed', () => {
    const old = { ...report, vulnerabilities: [vuln('Z', 'unknown', 'z', false), vuln('Y', 'high', 'y', false)] };
    const items = queryVulnerabilities(old, VulnerabilityQuery.parse({ sort: 'id', order: 'asc' })).items;
    expect(items.map((v) => [v.id, v.severitySource, v.knownExploited, v.epss])).toEqual([
      ['Y', 'advisory', null, null],
      ['Z', 'none', null, null],
    ]);
  });
});
