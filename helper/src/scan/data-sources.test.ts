import type { DataSourceProgress } from '@shipshape/shared';
import { describe, expect, it } from 'vitest';
import { cveOutcomes, cveProgress, osvOutcomes, osvProgress } from './data-sources.ts';

const collect = () => {
  const seen: DataSourceProgress[] = [];
  return { seen, sink: (s: DataSourceProgress) => void seen.push(s) };
};

describe('data update sources', () => {
  it('gives each OSV ecosystem its own line, with bytes while downloading and the reason when it failed', () => {
    const { seen, sink } = collect();
    const onProgress = osvProgress(sink);
    onProgress({ phase: 'download', ecosystem: 'npm', received: 10, total: 100 });
    onProgress({ phase: 'import', ecosystem: 'npm' });
    osvOutcomes(
      {
        replaced: true,
        ecosystems: [
          { ecosystem: 'npm', url: 'u', outcome: 'updated', result: { source: 'osv:npm', records: 7, skipped: 0, ecosystems: {}, problems: [] } },
          { ecosystem: 'Go', url: 'u', outcome: 'unchanged' },
          { ecosystem: 'PyPI', url: 'u', outcome: 'failed', error: 'cannot reach http://127.0.0.1:9/PyPI/all.zip (ECONNREFUSED)' },
        ],
      },
      sink,
    );
    expect(seen).toEqual([
      { name: 'OSV npm', phase: 'downloading', receivedBytes: 10, totalBytes: 100 },
      { name: 'OSV npm', phase: 'importing' },
      { name: 'OSV npm', phase: 'updated', records: 7 },
      { name: 'OSV Go', phase: 'unchanged' },
      { name: 'OSV PyPI', phase: 'failed', error: 'cannot reach http://127.0.0.1:9/PyPI/all.zip (ECONNREFUSED)' },
    ]);
  });

  it("counts NVD's yearly files as one source that failed if one did, and names KEV and EPSS", () => {
    const { seen, sink } = collect();
    cveProgress(sink)({ feed: 'nvd:2023', phase: 'download', received: 5, total: 50 });
    cveProgress(sink)({ feed: 'kev', phase: 'download', received: 5, total: null });
    cveOutcomes(
      {
        replaced: true,
        feeds: [
          { feed: 'nvd:2023', url: 'u', outcome: 'updated', result: { source: 'nvd:2023', records: 3, skipped: 0, ecosystems: {}, problems: [] } },
          { feed: 'nvd:2024', url: 'u', outcome: 'failed', error: 'HTTP 503' },
          { feed: 'nvd:modified', url: 'u', outcome: 'unchanged' },
          { feed: 'kev', url: 'u', outcome: 'updated', result: { source: 'kev', records: 2, skipped: 0, ecosystems: {}, problems: [] } },
          { feed: 'epss', url: 'u', outcome: 'unchanged' },
        ],
      },
      sink,
    );
    expect(seen).toEqual([
      { name: 'NVD', phase: 'downloading' },
      { name: 'CISA KEV', phase: 'downloading', receivedBytes: 5, totalBytes: null },
      { name: 'NVD', phase: 'failed', error: 'HTTP 503' },
      { name: 'CISA KEV', phase: 'updated', records: 2 },
      { name: 'EPSS', phase: 'unchanged' },
    ]);
  });
});
