import { describe, expect, it } from 'vitest';
import { cvssBaseScore } from './cvss.ts';
import type { OsvRecord } from './osv.ts';
import { levelFromScore, severityOf } from './severity.ts';

// Base scores published by FIRST in the CVSS v3.1 and v4.0 examples documents and the v2 guide.
const firstVectors: [string, number][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5], // CVE-2014-0160 (Heartbleed)
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8], // CVE-2014-6271 (Shellshock)
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1], // CVE-2013-1937 (phpMyAdmin XSS)
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5], // CVE-2022-41741
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5], // CVSS v2 guide
];

const record = (extra: Partial<OsvRecord>): OsvRecord => ({ id: 'TEST-1', modified: '2024-01-01T00:00:00Z', ...extra });

describe('CVSS base scores', () => {
  it.each(firstVectors)('%s scores %d', (vector, score) => {
    expect(cvssBaseScore(vector)?.score).toBe(score);
  });

  it('rejects vectors that are incomplete or not CVSS', () => {
    expect(cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:H')).toBeNull();
    expect(cvssBaseScore('high')).toBeNull();
  });
});

describe('severity of a record', () => {
  it('uses the qualitative scale', () => {
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0].map(levelFromScore)).toEqual(['critical', 'high', 'high', 'medium', 'medium', 'low', 'low']);
  });

  it('prefers CVSS v4 over v3 and keeps score and vector', () => {
    const r = record({
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' },
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      ],
    });
    expect(severityOf(r)).toEqual({ severity: 'critical', source: 'advisory', cvss: { score: 9.3, vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' } });
  });

  it('reads a per-package severity when the record has none', () => {
    const r = record({});
    const entry = { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] };
    expect(severityOf(r, [entry]).severity).toBe('high');
  });

  it('falls back to GHSA database_specific.severity, then Debian urgency, then unknown', () => {
    expect(severityOf(record({ database_specific: { severity: 'MODERATE' } }))).toEqual({ severity: 'medium', source: 'advisory', cvss: { score: null, vector: null } });
    expect(severityOf(record({}), [{ ecosystem_specific: { urgency: 'high' } }])).toMatchObject({ severity: 'high', source: 'distro' });
    expect(severityOf(record({}), [{ ecosystem_specific: { urgency: 'low**' } }]).severity).toBe('low');
    expect(severityOf(record({}), [{ ecosystem_specific: { urgency: 'not yet assigned' } }])).toMatchObject({ severity: 'unknown', source: 'none' });
    expect(severityOf(record({}))).toMatchObject({ severity: 'unknown', source: 'none' });
  });

  it("reads Ubuntu's priority (OSV `severity` of type Ubuntu) as the distro's rating, never as a vector", () => {
    const usn = record({ severity: [{ type: 'Ubuntu', score: 'medium' }] });
    expect(severityOf(usn)).toEqual({ severity: 'medium', source: 'distro', cvss: { score: null, vector: null } });
    expect(severityOf(record({ severity: [{ type: 'Ubuntu', score: 'negligible' }] })).severity).toBe('low');
  });

  it('keeps an unscorable vector visible without inventing a score', () => {
    const r = record({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }], database_specific: { severity: 'LOW' } });
    expect(severityOf(r)).toEqual({ severity: 'low', source: 'advisory', cvss: { score: null, vector: 'CVSS:3.1/AV:N' } });
  });
});
