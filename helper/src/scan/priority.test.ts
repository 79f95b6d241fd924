import { describe, expect, it } from 'vitest';
import type { ScanReport, Vulnerability } from '@shipshape/shared';
import { HIGH_PRIORITY_THRESHOLD, computePriority, tagVulnerabilities, vulnerabilityPoints, withPriorityTags } from './priority.ts';

const finding = (over: Partial<Vulnerability> & Pick<Vulnerability, 'id' | 'severity'>): Vulnerability => ({
  aliases: [],
  summary: '',
  details: '',
  severitySource: 'nvd',
  cvss: { score: null, vector: null },
  package: { ecosystem: 'Debian:11', name: 'liblog4j2-java', version: '2.15.0-1~deb11u1', purl: 'pkg:deb/debian/liblog4j2-java' },
  fixedVersions: ['2.16.0-1~deb11u1'],
  fixStatus: 'fixed',
  fixCommand: null,
  references: [],
  published: null,
  modified: null,
  layer: { diffId: 'sha256:l', createdBy: null },
  knownExploited: null,
  epss: null,
  tags: [],
  ...over,
});
const report = (vulnerabilities: Vulnerability[]): ScanReport => ({ image: { id: 'sha256:i', tags: [], os: null, architecture: 'amd64', layers: [] }, packages: [], vulnerabilities, notes: [] });
const kev = { cve: 'CVE-2021-45046', dateAdded: '2023-05-01', dueDate: '2023-05-22', ransomware: true, name: null };

describe('priority with exploit data', () => {
  it('a known-exploited vulnerability with a fix makes its image high priority on its own, whatever its severity', () => {
    const unrated = finding({ id: 'DSA-5022-1', severity: 'unknown', severitySource: 'none' });
    expect(computePriority(report([unrated]), 0)).toMatchObject({ score: 0, highPriority: false });
    const exploited = { ...unrated, knownExploited: kev };
    const p = computePriority(report([exploited]), 0);
    expect(p.score).toBe(HIGH_PRIORITY_THRESHOLD);
    expect(p.highPriority).toBe(true);
    expect(p.reasons[0]).toBe('1 known-exploited vulnerability with a fix (CVE-2021-45046)');
    expect(tagVulnerabilities([exploited])[0]!.tags).toEqual(['fixable', 'suggested']);
  });

  it('a known-exploited vulnerability without a fix counts nothing (there is nothing to do yet)', () => {
    const noFix = finding({ id: 'X', severity: 'critical', knownExploited: kev, fixedVersions: [], fixStatus: 'no fix yet' });
    expect(computePriority(report([noFix]), 0).score).toBe(0);
  });

  it('EPSS multiplies the points: two fixable highs likely to be exploited reach the threshold, two unlikely ones do not', () => {
    const high = (epss: number, id: string) => finding({ id, severity: 'high', epss: { cve: 'CVE-1', score: epss, percentile: 0.5, date: null } });
    expect(vulnerabilityPoints(high(0.97, 'a'))).toBeCloseTo(7.88);
    expect(computePriority(report([high(0.001, 'a'), high(0.002, 'b')]), 0)).toMatchObject({ score: 8.01, highPriority: false });
    const likely = computePriority(report([high(0.3, 'a'), high(0.25, 'b')]), 0);
    expect(likely).toMatchObject({ score: 10.2, highPriority: true });
    expect(likely.reasons).toEqual(['2 fixable high vulnerabilities, likely to be exploited (EPSS)']);
  });

  it('medium and low findings stay out, exploited or likely or not, unless CISA lists them', () => {
    const medium = finding({ id: 'm', severity: 'medium', epss: { cve: 'CVE-1', score: 0.97, percentile: 0.99, date: null } });
    expect(computePriority(report([medium]), 3).score).toBe(0);
    expect(computePriority(report([{ ...medium, knownExploited: kev }]), 1)).toMatchObject({ score: 29.55, highPriority: true });
  });
});

describe('priority tags', () => {
  const critical = finding({ id: 'c', severity: 'critical' });
  const unfixed = finding({ id: 'u', severity: 'low', fixedVersions: [], fixStatus: 'no fix yet' });

  it('adds fixable and suggested after the other tags, once each, and drops those that no longer hold', () => {
    expect(withPriorityTags({ ...critical, tags: ['suggested', 'epss', 'known-exploited', 'epss'] }).tags).toEqual(['epss', 'known-exploited', 'fixable', 'suggested']);
    expect(withPriorityTags({ ...finding({ id: 'l', severity: 'low' }), tags: ['fixable', 'suggested'] }).tags).toEqual(['fixable']);
    expect(withPriorityTags({ ...unfixed, tags: ['epss', 'fixable'] }).tags).toEqual(['epss']);
    expect(withPriorityTags({ ...critical, tags: ['fixable', 'epss'] }).tags).toEqual(['epss', 'fixable', 'suggested']);
  });

  it('returns a vulnerability whose tags are already right as it is, and copies one whose tags are not', () => {
    for (const right of [{ ...critical, tags: ['epss', 'fixable', 'suggested'] }, { ...unfixed, tags: [] }, { ...unfixed, tags: ['known-exploited'] }]) expect(withPriorityTags(right)).toBe(right);
    const wrong = { ...critical, tags: ['fixable'] };
    const tagged = withPriorityTags(wrong);
    expect(tagged).not.toBe(wrong);
    expect(wrong.tags).toEqual(['fixable']);
    expect(tagVulnerabilities([wrong, tagged])).toEqual([tagged, tagged]);
  });
});
