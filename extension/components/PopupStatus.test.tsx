import { render, screen, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { PopupStatus } from './PopupStatus';

const handlers = () => ({ onOpenPanel: vi.fn(), onOpenImage: vi.fn(), onOpenDialog: vi.fn() });

describe('PopupStatus', () => {
  it('shows the totals and the urgent images, scans all and opens the panel', async () => {
    const urgent = fakeImage(1, { highPriority: true, priorityScore: 90, securityStatus: 'at_risk' });
    const helper = fakeHelper({ images: [urgent, fakeImage(2)], lastScanTime: '2026-01-02T00:00:00.000Z' });
    const on = handlers();
    render(<PopupStatus conn={await readyConnection(helper)} {...on} />);
    expect((await screen.findByTestId('at-risk')).textContent).toBe('1 of 2 images at risk');
    fireEvent.click(await screen.findByRole('button', { name: urgent.name }));
    expect(on.onOpenImage).toHaveBeenCalledWith(urgent.id);
    fireEvent.click(screen.getByRole('button', { name: 'Scan all now' }));
    await waitFor(() => expect(helper.requests.find((r) => r.path === '/api/scans' && r.method === 'POST')?.body).toEqual({ images: 'all', categories: ['vulnerabilities', 'sensitive', 'malware'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));
    expect(on.onOpenPanel).toHaveBeenCalled();
    // Everything in place: no checklist.
    expect(screen.queryByTestId('setup-checklist')).toBeNull();
  });

  it('keeps the checklist until there is vulnerability data and a first scan, and its actions open the panel on the dialogs', async () => {
    const helper = fakeHelper({ images: [fakeImage(1)], vulnData: { present: false, records: 0, updatedAt: null, sources: [] } });
    const on = handlers();
    render(<PopupStatus conn={await readyConnection(helper)} {...on} />);
    const list = await screen.findByTestId('setup-checklist');
    expect(list.querySelector('[data-step="data"]')!.getAttribute('data-state')).toBe('todo');
    fireEvent.click(await screen.findByRole('button', { name: 'Update data…' }));
    expect(on.onOpenDialog).toHaveBeenCalledWith('update');
    await waitFor(() => expect(list.querySelector('[data-step="scan"]')!.getAttribute('data-state')).toBe('todo'));
    fireEvent.click(screen.getByRole('button', { name: 'Quick scan' }));
    expect(on.onOpenDialog).toHaveBeenCalledWith('quick');
  });

  it('counts incomplete images apart and shows the no-data banner', async () => {
    const helper = fakeHelper({
      images: [fakeImage(1, { scanStatus: 'scanned', securityStatus: 'incomplete', notChecked: [{ category: 'vulnerabilities', reason: 'no vulnerability data' }] }), fakeImage(2)],
      vulnData: { present: false, records: 0, updatedAt: null, sources: [] },
    });
    const conn = await readyConnection(helper);
    render(<PopupStatus conn={conn} onOpenPanel={() => undefined} onOpenImage={() => undefined} onOpenDialog={() => undefined} />);
    expect((await screen.findByTestId('at-risk')).textContent).toBe('0 of 2 images at risk');
    expect(screen.getByTestId('incomplete').textContent).toBe('1 incomplete: not every risk could be checked');
    expect((await screen.findByTestId('no-data-banner')).textContent).toContain('No vulnerability data: images cannot be judged for vulnerabilities');
  });
});
