import type { DataUpdateResult, DataUpdateStatus } from '@shipshape/shared';
import { describe, expect, it } from 'vitest';
import { choiceProblem, describeOutcome, progressLines, requestFor } from './dataUpdate';

const result = (patch: Partial<DataUpdateResult> & { sources?: unknown[] } = {}): DataUpdateResult =>
  ({ startedAt: 'a', finishedAt: 'b', outcome: 'success', reason: null, rematched: 2, changedImages: 1, vulnDb: { advisories: 5000, source: 'osv.dev' }, phaseSeconds: {}, ...patch }) as DataUpdateResult;

describe('the Update data dialog', () => {
  it('asks the helper for the source chosen', () => {
    expect(requestFor({ kind: 'feed' })).toEqual({});
    expect(requestFor({ kind: 'mirror', url: ' http://10.0.0.5/osv ' })).toEqual({ mirror: 'http://10.0.0.5/osv' });
    expect(requestFor({ kind: 'local', path: '/srv/osv/all.zip' })).toEqual({ source: '/srv/osv/all.zip' });
  });

  it('refuses a mirror that is not an http(s) URL and a relative path, saying what to enter', () => {
    expect(choiceProblem({ kind: 'mirror', url: '' })).toBe('Enter the mirror URL.');
    expect(choiceProblem({ kind: 'mirror', url: 'ftp://x/osv' })).toMatch(/http:\/\/ or https:\/\//);
    expect(choiceProblem({ kind: 'mirror', url: 'not a url' })).toMatch(/not a URL/);
    expect(choiceProblem({ kind: 'local', path: 'all.zip' })).toMatch(/full path/);
    expect(choiceProblem({ kind: 'local', path: '/data/all.zip' })).toBeNull();
  });

  it('shows each source the helper reports, with its progress', () => {
    const status = {
      running: true, phase: 'vulndb', done: 0, total: 0, startedAt: 'a', lastResult: null,
      sources: [
        { name: 'osv:npm', phase: 'downloading', receivedBytes: 12_500_000, totalBytes: 80_000_000, records: null, error: null },
        { name: 'osv:PyPI', phase: 'updated', receivedBytes: 0, totalBytes: null, records: 4321, error: null },
        { name: 'osv:Go', phase: 'failed', receivedBytes: 0, totalBytes: null, records: null, error: 'connect ECONNREFUSED 127.0.0.1:9' },
      ],
    } as unknown as DataUpdateStatus;
    const { sources, step } = progressLines(status, { kind: 'feed' });
    expect(sources).toEqual([
      { name: 'osv:npm', state: 'working', text: 'downloading 13 MB of 80 MB' },
      { name: 'osv:PyPI', state: 'done', text: `updated: ${(4321).toLocaleString()} records` },
      { name: 'osv:Go', state: 'failed', text: 'failed: connect ECONNREFUSED 127.0.0.1:9' },
    ]);
    expect(step).toBe('Updating vulnerability data…');
  });

  it('without per-source reports, shows the chosen source as one line', () => {
    const status: DataUpdateStatus = { running: true, phase: 'rematch', done: 1, total: 4, startedAt: 'a', lastResult: null, trigger: 'manual' };
    expect(progressLines(status, { kind: 'local', path: '/data/osv' })).toEqual({ sources: [{ name: '/data/osv', state: 'done', text: 'done' }], step: 'Re-checking scanned images (1 of 4)…' });
  });

  it('on failure says which source failed, why, and what to do', () => {
    const failed = describeOutcome(result({ outcome: 'error', reason: 'vulnerability data update failed: http://127.0.0.1:9/npm/all.zip: connect ECONNREFUSED', vulnDb: null, sources: [{ name: 'osv:npm', phase: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:9' }] }), { kind: 'mirror', url: 'http://127.0.0.1:9' });
    expect(failed.ok).toBe(false);
    expect(failed.summary).toBe('The update from the mirror http://127.0.0.1:9 failed: vulnerability data update failed: http://127.0.0.1:9/npm/all.zip: connect ECONNREFUSED.');
    expect(failed.failures).toEqual(['osv:npm: connect ECONNREFUSED 127.0.0.1:9']);
    expect(failed.advice).toMatch(/mirror answers .* or use a local file/);
    expect(describeOutcome(result({ outcome: 'error', reason: 'fetch failed', vulnDb: null }), { kind: 'feed' }).advice).toMatch(/^Offline or behind a proxy\? Use a mirror URL/);
  });

  it('on success says how much data came from where', () => {
    expect(describeOutcome(result(), { kind: 'feed' })).toEqual({ ok: true, summary: `Vulnerability data updated from the OSV feed: ${(5000).toLocaleString()} records; 1 image(s) changed.`, failures: [], advice: null });
  });
});
