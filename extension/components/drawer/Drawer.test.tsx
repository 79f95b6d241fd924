import { render, screen, fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeHelper, fakeImage, fakeVulnerability } from '../../testing/fakeHelper';
import { readyConnection } from '../../testing/render';
import { Drawer } from './Drawer';

const scanned = fakeImage(7, {
  scanStatus: 'scanned',
  securityStatus: 'at_risk',
  lastScanned: '2026-11-20T10:00:00.000Z',
  risks: { vulnerabilities: { critical: 1, high: 1, medium: 0, low: 0, unknown: 0 }, viruses: 1, trojans: 0, sensitive: 2 },
});

async function openDrawer() {
  const helper = fakeHelper({ images: [scanned], vulnerabilities: [fakeVulnerability('CVE-2024-0001', 'critical'), fakeVulnerability('CVE-2024-0002', 'high', 'zlib')] });
  const conn = await readyConnection(helper);
  render(<Drawer api={conn.api} imageId={scanned.id} version={0} onClose={() => undefined} onScan={() => undefined} />);
  await screen.findByRole('heading', { name: scanned.name });
  return helper;
}

describe('Drawer', () => {
  it('summarises the risks and the image facts', async () => {
    await openDrawer();
    const summary = screen.getByTestId('risk-summary');
    expect(summary.querySelector('[data-risk="critical"]')?.textContent).toBe('1');
    expect(summary.querySelector('[data-risk="viruses"]')?.textContent).toBe('1');
    expect(summary.querySelector('[data-risk="sensitive"]')?.textContent).toBe('2');
    expect(screen.getByText(scanned.id)).toBeTruthy();
    expect(screen.getByText('debian 12 (amd64)')).toBeTruthy();
  });

  it('says why the last scan did not finish', async () => {
    const failed = fakeImage(8, { scanStatus: 'scan_exception', scanError: 'interrupted' });
    const conn = await readyConnection(fakeHelper({ images: [failed] }));
    render(<Drawer api={conn.api} imageId={failed.id} version={0} onClose={() => undefined} onScan={() => undefined} />);
    expect((await screen.findByRole('status')).textContent).toContain('The last scan did not finish: interrupted.');
  });

  it('lists vulnerabilities with details and the fix, and filters by severity and search through the helper', async () => {
    const helper = await openDrawer();
    fireEvent.click(screen.getByRole('tab', { name: 'Vulnerabilities' }));
    expect((await screen.findByTestId('finding-total')).textContent).toBe('2 found');
    expect(screen.getByText('apt-get install --only-upgrade openssl')).toBeTruthy();
    expect(screen.getAllByText('RUN apt-get install openssl').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByLabelText('critical'));
    await waitFor(() => expect(screen.getByTestId('finding-total').textContent).toBe('1 found'));
    expect(helper.requests.at(-1)?.query.get('severity')).toBe('critical');
    fireEvent.click(screen.getByLabelText('critical'));
    fireEvent.input(screen.getByRole('searchbox', { name: /Search vulnerabilities/ }), { target: { value: 'zlib' } });
    expect(await screen.findByText('CVE-2024-0002')).toBeTruthy();
    expect(screen.getByTestId('finding-total').textContent).toBe('1 found');
    expect(screen.queryByText('CVE-2024-0001')).toBeNull();
    expect(helper.requests.at(-1)?.query.get('q')).toBe('zlib');
  });

  it('tags known-exploited and likely findings, says where a severity comes from, filters and sorts by exploitation', async () => {
    const exploited = {
      ...fakeVulnerability('DSA-5022-1', 'unknown', 'liblog4j2-java'),
      severitySource: 'none' as const,
      knownExploited: { cve: 'CVE-2021-45046', dateAdded: '2023-05-01', dueDate: '2023-05-22', ransomware: true, name: 'Apache Log4j2 Deserialization of Untrusted Data Vulnerability' },
      epss: { cve: 'CVE-2021-45046', score: 0.97503, percentile: 0.99961, date: '2023-05-03' },
    };
    const nvdRated = { ...fakeVulnerability('DSA-5343-1', 'high', 'libssl1.1'), severitySource: 'nvd' as const, knownExploited: null, epss: { cve: 'CVE-2022-2097', score: 0.00131, percentile: 0.46615, date: '2023-05-03' } };
    const helper = fakeHelper({ images: [scanned], vulnerabilities: [exploited, nvdRated] });
    const conn = await readyConnection(helper);
    render(<Drawer api={conn.api} imageId={scanned.id} version={0} onClose={() => undefined} onScan={() => undefined} />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Vulnerabilities' }));
    expect((await screen.findByTestId('finding-total')).textContent).toBe('2 found');
    expect(screen.getByText('Known exploited (since 2023-05-01)')).toBeTruthy();
    expect(screen.getByText('EPSS 0.98 (99th percentile)')).toBeTruthy();
    expect(screen.getByText('EPSS 0.00 (46th percentile)')).toBeTruthy();
    expect(screen.getAllByTestId('severity-source').map((e) => e.textContent)).toEqual([
      'unknown · no rating in the advisory, the distribution or NVD',
      "high · NVD's CVSS of its CVE",
    ]);
    expect(screen.getByText(/is in CISA's Known Exploited Vulnerabilities catalog since 2023-05-01/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Known exploited only'));
    await waitFor(() => expect(screen.getByTestId('finding-total').textContent).toBe('1 found'));
    expect(helper.requests.at(-1)?.query.get('knownExploited')).toBe('true');
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'exploit' } });
    await waitFor(() => expect(helper.requests.at(-1)?.query.get('sort')).toBe('exploit'));
  });

  it('moves between tabs with the arrow keys and shows each section', async () => {
    await openDrawer();
    const summaryTab = screen.getByRole('tab', { name: 'Summary' });
    summaryTab.focus();
    fireEvent.keyDown(summaryTab, { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'Containers' }).getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByText('No container uses this image.')).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Servers' }));
    const server = await screen.findByText('local');
    expect(server.closest('tr')!.getAttribute('data-server')).toBe('local');
    fireEvent.click(screen.getByRole('tab', { name: 'Build history' }));
    expect(await screen.findByText(/2 vulnerabilities, 0 sensitive, 0 malware/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Viruses & trojans' }));
    expect(await screen.findByText('No virus or trojan found.')).toBeTruthy();
  });

  it('says an unscanned image has no results yet', async () => {
    const image = fakeImage(9);
    const conn = await readyConnection(fakeHelper({ images: [image] }));
    render(<Drawer api={conn.api} imageId={image.id} version={0} onClose={() => undefined} onScan={() => undefined} />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Sensitive data' }));
    expect(await screen.findByText('No scan result yet. Scan the image to see this list.')).toBeTruthy();
  });

  it('says "Not checked: no vulnerability data" instead of "No vulnerability matches", and "Update data" fixes it', async () => {
    const incomplete = fakeImage(10, {
      scanStatus: 'scanned',
      securityStatus: 'incomplete',
      lastScanned: '2026-11-20T10:00:00.000Z',
      notChecked: [
        { category: 'vulnerabilities', reason: "no vulnerability data: use Update data (or POST /api/data-update, or 'shipshape db update')" },
        { category: 'malware', reason: 'clamd at /run/clamav/clamd.ctl did not answer (ENOENT): only the built-in engine checked the files; start clamd and scan again' },
      ],
    });
    const helper = fakeHelper({ images: [incomplete], vulnData: { present: false, records: 0, updatedAt: null, sources: [] } });
    const conn = await readyConnection(helper);
    render(<Drawer api={conn.api} imageId={incomplete.id} version={0} onClose={() => undefined} onScan={() => undefined} />);
    await screen.findByRole('heading', { name: incomplete.name });
    expect(screen.getByText('Incomplete')).toBeTruthy();
    expect(screen.getByTestId('not-checked-vulnerabilities').textContent).toMatch(/^Not checked: no vulnerability data\. Update data/);
    fireEvent.click(screen.getByRole('tab', { name: 'Viruses & trojans' }));
    expect((await screen.findByTestId('not-checked-malware')).textContent).toMatch(/^Not checked: clamd at .* did not answer/);
    expect(screen.queryByText('No virus or trojan found.')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Vulnerabilities' }));
    const line = await screen.findByTestId('not-checked-vulnerabilities');
    expect(screen.queryByText('No vulnerability matches.')).toBeNull();
    fireEvent.click(within(line).getByRole('button', { name: 'Update data' }));
    // The update brings data: the image is re-matched (safe here), the line gives way to the real answer.
    expect(await screen.findByText('No vulnerability matches.')).toBeTruthy();
    expect(screen.queryByTestId('not-checked-vulnerabilities')).toBeNull();
    expect(helper.requests.some((r) => r.path === '/api/data-update' && r.method === 'POST')).toBe(true);
  });
});

describe('Drawer: ignores', () => {
  it('ignores a vulnerability for this image with a reason and an expiry, lists it under Ignored, and stops ignoring it', async () => {
    const helper = await openDrawer();
    fireEvent.click(screen.getByRole('tab', { name: 'Vulnerabilities' }));
    expect((await screen.findByTestId('finding-total')).textContent).toBe('2 found');
    fireEvent.click(screen.getAllByRole('button', { name: 'Ignore…' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Ignore CVE-2024-0001' });
    fireEvent.change(within(dialog).getByLabelText('Justification'), { target: { value: 'vulnerable_code_not_present' } });
    fireEvent.input(within(dialog).getByLabelText('Note'), { target: { value: 'patched in our fork' } });
    fireEvent.input(within(dialog).getByLabelText('Counts again on'), { target: { value: '2099-01-31' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Ignore' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(helper.requests.find((r) => r.method === 'POST' && r.path === '/api/ignores')?.body).toEqual({
      target: { kind: 'vulnerability', id: 'CVE-2024-0001', package: 'pkg:deb/debian/openssl@1.0' },
      image: scanned.id,
      reason: 'not_affected',
      justification: 'vulnerable_code_not_present',
      note: 'patched in our fork',
      expiresAt: '2099-01-31',
    });
    await waitFor(() => expect(screen.getByTestId('finding-total').textContent).toBe('1 found'));
    const ignored = screen.getByRole('region', { name: 'Ignored' });
    expect(within(ignored).getByText('CVE-2024-0001')).toBeTruthy();
    expect(within(ignored).getByTestId('ignore-why').textContent).toBe('Not affected: the vulnerable code is not present (patched in our fork)');
    expect(within(ignored).getByTestId('ignore-until').textContent).toBe('counts again on 2099-01-31');
    fireEvent.click(within(ignored).getByRole('button', { name: 'Stop ignoring' }));
    await waitFor(() => expect(screen.getByTestId('finding-total').textContent).toBe('2 found'));
    expect(screen.queryByRole('region', { name: 'Ignored' })).toBeNull();
  });
});
