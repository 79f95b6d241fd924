import { describe, expect, it } from 'vitest';
import type { ScanReport } from '@shipshape/shared';
import { analyzerFailureNote } from '@shipshape/analyzers/walker/failures.ts';
import { categoryGaps } from './category-gaps.ts';

const report = (notes: string[]): ScanReport => ({ image: { id: 'sha256:x', tags: [], os: null, architecture: 'amd64', layers: [] }, packages: [], notes });
const analyzers = [
  { name: 'lang/npm', category: 'packages' as const },
  { name: 'malware/builtin', category: 'malware' as const },
  { name: 'malware/clamav', category: 'malware' as const },
];

describe('category gaps', () => {
  it('a clamd that did not answer leaves malware not checked; an analyzer failure leaves its category not checked', () => {
    const notes = [
      'ClamAV: clamd at /run/clamd.sock: connect ENOENT /run/clamd.sock; no ClamAV verdicts for the rest of this scan (clamd at /run/clamd.sock)',
      analyzerFailureNote('lang/npm', 'on /app/package-lock.json', new Error('boom')),
      analyzerFailureNote('lang/npm', 'on /srv/package-lock.json', new Error('boom')),
    ];
    const gaps = categoryGaps(report(notes), analyzers, ['vulnerabilities', 'sensitive', 'malware']);
    expect(gaps.malware).toMatch(/^clamd at \/run\/clamd\.sock did not answer .*only the built-in engine checked the files/);
    expect(gaps.vulnerabilities).toMatch(/^analyzer lang\/npm failed 2 times \(lang\/npm failed on \/app\/package-lock\.json: boom\)/);
    expect(gaps.sensitive).toBeUndefined();
  });

  it('says nothing of categories not asked for, nor of files clamd merely could not scan', () => {
    const notes = ['ClamAV could not scan /big.bin: clamd: INSTREAM size limit exceeded', analyzerFailureNote('lang/npm', 'on /a', new Error('x'))];
    expect(categoryGaps(report(notes), analyzers, ['malware'])).toEqual({});
  });
});
