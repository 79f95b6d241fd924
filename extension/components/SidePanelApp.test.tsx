import { render, screen, fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { SidePanelApp } from './SidePanelApp';

function manyImages(count: number) {
  return Array.from({ length: count }, (_, n) =>
    fakeImage(n + 1, n % 10 === 0 ? { securityStatus: 'at_risk', scanStatus: 'scanned', highPriority: n % 20 === 0, priorityScore: n } : {}),
  );
}

const rows = () => screen.getAllByRole('row').filter((row) => row.hasAttribute('data-image-id'));

describe('SidePanelApp list', () => {
  it('loads 1,200 images over several pages but renders only the rows in view', async () => {
    const helper = fakeHelper({ images: manyImages(1200) });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(screen.getByTestId('image-total').textContent).toBe('1200'));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(60);
    expect(helper.requests.filter((r) => r.path === '/api/images').map((r) => r.query.get('offset'))).toEqual(['0', '500', '1000']);
    // scrolling to the bottom shows the last image
    const viewport = document.querySelector<HTMLDivElement>('.viewport')!;
    viewport.scrollTop = 1199 * 34;
    fireEvent.scroll(viewport);
    await waitFor(() => expect(rows().some((row) => row.getAttribute('aria-rowindex') === '1201')).toBe(true));
  });

  it('says why a scan failed when the status is hovered', async () => {
    const failed = fakeImage(1, { scanStatus: 'scan_exception', scanError: 'Docker unavailable: docker save: connection refused' });
    const helper = fakeHelper({ images: [failed, fakeImage(2, { scanStatus: 'scanned' })] });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(rows().length).toBe(2));
    const badges = rows().map((row) => row.querySelector<HTMLElement>('[data-status="scan_exception"], [data-status="scanned"]')!);
    expect(badges.map((b) => [b.textContent, b.getAttribute('title')])).toEqual([
      ['Scan failed', 'Docker unavailable: docker save: connection refused'],
      ['Scanned', null],
    ]);
  });

  it('selects a range with shift-click and scans the selection as a batch', async () => {
    const helper = fakeHelper({ images: manyImages(12) });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(rows().length).toBe(12));
    fireEvent.click(rows()[2]!);
    fireEvent.click(rows()[6]!, { shiftKey: true });
    const selected = rows().filter((row) => row.getAttribute('aria-selected') === 'true');
    expect(selected.length).toBe(5);
    const bar = screen.getByRole('toolbar', { name: 'Batch actions' });
    expect(within(bar).getByText('5 selected')).toBeTruthy();
    fireEvent.click(within(bar).getByRole('button', { name: 'Scan again' }));
    await waitFor(() => expect(helper.requests.some((r) => r.path === '/api/scans' && r.method === 'POST')).toBe(true));
    const body = helper.requests.find((r) => r.path === '/api/scans')!.body as { images: string[] };
    expect(body.images).toEqual(selected.map((row) => row.getAttribute('data-image-id')));
  });

  it('moves with the keyboard, extends with Shift+Arrow and opens the drawer with Enter', async () => {
    const helper = fakeHelper({ images: manyImages(10) });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(rows().length).toBe(10));
    const viewport = document.querySelector<HTMLDivElement>('.viewport')!;
    fireEvent.keyDown(viewport, { key: 'ArrowDown' });
    fireEvent.keyDown(viewport, { key: 'ArrowDown', shiftKey: true });
    const selected = () => rows().filter((row) => row.getAttribute('aria-selected') === 'true').map((row) => row.getAttribute('aria-rowindex'));
    expect(selected()).toEqual(['3', '4']); // rows 2 and 3 (header is row 1)
    fireEvent.keyDown(viewport, { key: ' ' });
    expect(selected()).toEqual(['3']);
    fireEvent.keyDown(viewport, { key: 'Enter' });
    expect(await screen.findByRole('complementary', { name: 'Image details' })).toBeTruthy();
  });

  it('narrows the list with the search box and filters, through the helper, and says when nothing matches', async () => {
    const helper = fakeHelper({ images: manyImages(40) });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(screen.getByTestId('image-total').textContent).toBe('40'));
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search images by name or ID' }), { target: { value: 'app-3' } });
    await waitFor(() => expect(rows().map((r) => r.textContent)).toSatisfy((texts: string[]) => texts.length > 0 && texts.every((t) => t.includes('app-3'))));
    expect(helper.requests.at(-1)?.query.get('q')).toBe('app-3');
    fireEvent.change(screen.getByLabelText('Security'), { target: { value: 'at_risk' } });
    await waitFor(() => expect(rows().length).toBe(1)); // app-31 is the only at-risk app-3*
    fireEvent.click(screen.getByLabelText('High priority only'));
    await waitFor(() => expect(screen.getByTestId('empty').textContent).toContain('No image matches these filters'));
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByTestId('image-total').textContent).toBe('40'));
  });

  it('exports the selection as a file through the download function', async () => {
    const helper = fakeHelper({ images: manyImages(5) });
    const download = vi.fn();
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} download={download} />);
    await waitFor(() => expect(rows().length).toBe(5));
    fireEvent.click(rows()[0]!);
    fireEvent.click(screen.getByRole('button', { name: 'Export selected' }));
    await waitFor(() => expect(download).toHaveBeenCalled());
    expect(download.mock.calls[0]![1]).toBe('images.csv');
    const request = helper.requests.find((r) => r.path === '/api/export')!;
    expect(request.query.get('ids')).toBe(rows()[0]!.getAttribute('data-image-id'));
  });

  it('tells a user with no images how to get one', async () => {
    render(<SidePanelApp conn={await readyConnection(fakeHelper())} live={false} />);
    expect((await screen.findByTestId('empty')).textContent).toContain('docker pull alpine');
  });
});
