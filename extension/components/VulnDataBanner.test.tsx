import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { createVulnDataState } from '../state/vulnData';
import { DataAge, VulnDataBanner } from './VulnDataBanner';

async function setup(options: Parameters<typeof fakeHelper>[0]) {
  const helper = fakeHelper(options);
  const conn = await readyConnection(helper);
  const data = createVulnDataState(conn.api);
  render(
    <>
      <VulnDataBanner api={conn.api} data={data} />
      <DataAge data={data} />
    </>,
  );
  return helper;
}

const noData = { present: false, records: 0, updatedAt: null, sources: [], stale: false };

describe('VulnDataBanner', () => {
  it('says there is no vulnerability data, and goes away after "Update data"', async () => {
    const helper = await setup({ vulnData: noData });
    const banner = await screen.findByTestId('no-data-banner');
    expect(banner.textContent).toContain('No vulnerability data: images cannot be judged for vulnerabilities');
    expect(screen.getByTestId('data-age').textContent).toBe('No vulnerability data');
    fireEvent.click(screen.getByRole('button', { name: 'Update data' }));
    await waitFor(() => expect(screen.queryByTestId('no-data-banner')).toBeNull());
    expect(helper.requests.some((r) => r.path === '/api/data-update' && r.method === 'POST')).toBe(true);
    expect(screen.getByTestId('data-age').textContent).toBe('Vulnerability data updated just now');
    expect(screen.getByRole('status').textContent).toBe('Vulnerability data updated.');
  });

  it('"Import file…" sends the file picked to the helper, then the data is there', async () => {
    const helper = await setup({ vulnData: noData });
    await screen.findByTestId('no-data-banner');
    const file = new File(['{"id":"GHSA-x","modified":"2026-01-01T00:00:00Z"}\n'], 'advisories.jsonl', { type: 'application/octet-stream' });
    fireEvent.change(screen.getByLabelText('Vulnerability data file to import'), { target: { files: [file] } });
    await waitFor(() => expect(screen.queryByTestId('no-data-banner')).toBeNull());
    expect(helper.uploads).toEqual([{ name: 'advisories.jsonl', size: file.size }]);
  });

  it('keeps the banner and says why when the update fails (offline)', async () => {
    await setup({ vulnData: noData, dataUpdateFails: 'cannot reach https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip: ENOTFOUND' });
    fireEvent.click(await screen.findByRole('button', { name: 'Update data' }));
    expect((await screen.findByText(/^Data update failed: cannot reach/)).getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('no-data-banner')).toBeTruthy();
  });

  it('warns when the data is older than a week, and shows its age otherwise', async () => {
    await setup({ vulnData: { stale: true, updatedAt: new Date(Date.now() - 9 * 86_400_000).toISOString() } });
    expect((await screen.findByTestId('stale-data-banner')).textContent).toMatch(/more than 7 days old \(updated 9 days ago\)/);
    expect(screen.getByTestId('data-age').textContent).toBe('Vulnerability data updated 9 days ago (out of date)');
  });

  it('is quiet when the data is fresh', async () => {
    await setup({ images: [fakeImage(1)] });
    expect((await screen.findByTestId('data-age')).textContent).toBe('Vulnerability data updated 3 days ago');
    expect(screen.queryByTestId('no-data-banner')).toBeNull();
    expect(screen.queryByTestId('stale-data-banner')).toBeNull();
  });
});
