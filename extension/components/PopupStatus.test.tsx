import { render, screen, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { PopupStatus } from './PopupStatus';

describe('PopupStatus', () => {
  it('shows the totals and the urgent images, scans all and opens the panel', async () => {
    const urgent = fakeImage(1, { highPriority: true, priorityScore: 90, securityStatus: 'at_risk' });
    const helper = fakeHelper({ images: [urgent, fakeImage(2)] });
    const conn = await readyConnection(helper);
    const onOpenPanel = vi.fn();
    const onOpenImage = vi.fn();
    render(<PopupStatus api={conn.api} onOpenPanel={onOpenPanel} onOpenImage={onOpenImage} />);
    expect((await screen.findByTestId('at-risk')).textContent).toBe('1 of 2 images at risk');
    fireEvent.click(await screen.findByRole('button', { name: urgent.name }));
    expect(onOpenImage).toHaveBeenCalledWith(urgent.id);
    fireEvent.click(screen.getByRole('button', { name: 'Scan all now' }));
    await waitFor(() => expect(helper.requests.find((r) => r.path === '/api/scans' && r.method === 'POST')?.body).toEqual({ images: 'all', categories: ['vulnerabilities', 'sensitive', 'malware'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Open side panel' }));
    expect(onOpenPanel).toHaveBeenCalled();
  });
});
