import { signal } from '@preact/signals';
import { render, screen, fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { SidePanelApp } from './SidePanelApp';
// The panel fetches the drawer's and the dialogs' code when first opened (a chunk of their own in
// the extension); here that is a module transform that can outlast findBy's wait on a busy machine,
// so they are loaded up front and opening them takes what it takes in the extension.
import './drawer/Drawer';
import './QuickScanDialog';
import './ScheduleDialog';
import './UpdateDataDialog';
import './ImageTable';
import { createApi } from '../lib/api';
import { memoryStore } from '../lib/storage';
import { createConnectionState } from '../state/connection';

/** A side panel's width: compact rows, actions in a menu. */
const narrow = () => ({ wide: signal(false), dispose: () => undefined });

function manyImages(count: number) {
  return Array.from({ length: count }, (_, n) =>
    fakeImage(n + 1, n % 10 === 0 ? { securityStatus: 'at_risk', scanStatus: 'scanned', highPriority: n % 20 === 0, priorityScore: n } : {}),
  );
}

const rows = () => screen.getAllByRole('row').filter((row) => row.hasAttribute('data-image-id'));

describe('SidePanelApp list', () => {
  it('loads 1,200 images first page first, the rest behind it, and renders only the rows in view', async () => {
    const helper = fakeHelper({ images: manyImages(1200) });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(screen.getByTestId('image-total').textContent).toBe('1200'));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(60);
    await waitFor(() => expect(screen.getByRole('grid').getAttribute('aria-busy')).toBe('false'));
    const pages = helper.requests.filter((r) => r.path === '/api/images').map((r) => [r.query.get('offset'), r.query.get('limit')]);
    expect(pages).toEqual([['0', '50'], ['50', '500'], ['550', '500'], ['1050', '500']]);
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

  it('shows – in the risk columns before a scan and ? for a category the scan could not check, never a clean 0', async () => {
    const none = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
    const gap = fakeImage(1, { scanStatus: 'scanned', securityStatus: 'incomplete', lastScanned: '2026-01-02T00:00:00.000Z', notChecked: [{ category: 'malware', reason: 'clamd did not answer' }], risks: { vulnerabilities: none, viruses: 0, trojans: 0, sensitive: 0 } });
    render(<SidePanelApp conn={await readyConnection(fakeHelper({ images: [gap, fakeImage(2)] }))} live={false} />);
    await waitFor(() => expect(rows().length).toBe(2));
    const cells = (id: string) => [...rows().find((r) => r.getAttribute('data-image-id') === id)!.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent);
    // default columns: name, size, created, scan, security, critical, high, viruses, sensitive, last scan
    expect(cells(gap.id).slice(6, 10)).toEqual(['0', '0', '?', '0']);
    expect(cells(fakeImage(2).id).slice(6, 10)).toEqual(['–', '–', '–', '–']);
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

describe('SidePanelApp at side-panel width', () => {
  it('draws the first page before asking for the rest', async () => {
    const helper = fakeHelper({ images: manyImages(700) });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const conn = createConnectionState(memoryStore({ helperUrl: 'http://127.0.0.1:7373', token: helper.token }), (c) =>
      createApi(c, async (input, init) => {
        if (String(input).includes('offset=50&')) await held;
        return helper.fetch(input, init);
      }),
    );
    await conn.check();
    render(<SidePanelApp conn={conn} live={false} layout={narrow()} />);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(screen.getByText('50 of 700 loaded')).toBeTruthy();
    expect(screen.getByRole('grid').getAttribute('aria-busy')).toBe('true');
    release();
    await waitFor(() => expect(screen.getByText('700 images')).toBeTruthy());
  });

  it('shows each image as a compact row: name, size and age, both statuses, five risk chips; the row opens the drawer', async () => {
    const none = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
    const images = [
      fakeImage(1, { scanStatus: 'scanned', securityStatus: 'at_risk', lastScanned: '2026-01-02T00:00:00.000Z', priorityScore: 50, risks: { vulnerabilities: { ...none, critical: 2, high: 5 }, viruses: 1, trojans: 0, sensitive: 3 } }),
      fakeImage(2, { scanStatus: 'scanning' }),
      fakeImage(3, { scanStatus: 'scanned', securityStatus: 'incomplete', lastScanned: '2026-01-02T00:00:00.000Z', priorityScore: 1, notChecked: [{ category: 'malware', reason: 'clamd did not answer' }], risks: { vulnerabilities: none, viruses: 0, trojans: 0, sensitive: 0 } }),
    ];
    render(<SidePanelApp conn={await readyConnection(fakeHelper({ images }))} live={false} layout={narrow()} />);
    await waitFor(() => expect(rows().length).toBe(3));
    const row = (id: string) => rows().find((r) => r.getAttribute('data-image-id') === id)!;
    const chips = (id: string) => [...row(id).querySelectorAll('[data-chip]')].map((c) => `${c.getAttribute('data-chip')}:${c.querySelector('.chip-value')!.textContent}`);
    expect(chips(images[0]!.id)).toEqual(['critical:2', 'high:5', 'viruses:1', 'trojans:0', 'sensitive:3']);
    expect(chips(images[1]!.id)).toEqual(['critical:–', 'high:–', 'viruses:–', 'trojans:–', 'sensitive:–']);
    expect(chips(images[2]!.id)).toEqual(['critical:0', 'high:0', 'viruses:?', 'trojans:?', 'sensitive:0']);
    expect(row(images[2]!.id).querySelector('[data-chip="viruses"]')!.getAttribute('title')).toBe('viruses: not checked (clamd did not answer)');
    expect([...row(images[0]!.id).querySelectorAll('[data-status]')].map((b) => b.getAttribute('data-status'))).toEqual(['scanned', 'at_risk']);
    expect(row(images[0]!.id).textContent).toContain('1.0 MB ·');
    // The check box selects without opening; the row opens the drawer.
    fireEvent.click(within(row(images[1]!.id)).getByRole('checkbox'));
    expect(row(images[1]!.id).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByRole('complementary', { name: 'Image details' })).toBeNull();
    fireEvent.click(row(images[0]!.id));
    expect(await screen.findByRole('complementary', { name: 'Image details' })).toBeTruthy();
  });

  it('filters the list from the header counts, and shows every image when the active one is pressed again', async () => {
    const images = manyImages(30).map((image, n) => (n % 7 === 0 ? { ...image, risks: { ...image.risks, viruses: 1 }, securityStatus: 'at_risk' as const } : image));
    const helper = fakeHelper({ images });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} layout={narrow()} />);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const viruses = screen.getByRole('button', { name: /Viruses/ });
    fireEvent.click(viruses);
    await waitFor(() => expect(rows().length).toBe(5));
    expect(helper.requests.at(-1)?.query.get('risk')).toBe('viruses');
    expect(viruses.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(viruses);
    await waitFor(() => expect(screen.getByTestId('image-total').textContent).toBe('30'));
    expect(screen.getByRole('button', { name: /Images/ }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: /At risk/ }));
    await waitFor(() => expect(helper.requests.at(-1)?.query.get('securityStatus')).toBe('at_risk'));
  });

  it('puts the secondary actions in a menu, and keeps the filters one click away', async () => {
    render(<SidePanelApp conn={await readyConnection(fakeHelper({ images: manyImages(3) }))} live={false} layout={narrow()} />);
    expect(screen.queryByRole('button', { name: 'Scheduled scan' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'More' }));
    fireEvent.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Scheduled scan' }));
    expect(await screen.findByRole('dialog', { name: 'Scheduled scan' })).toBeTruthy();
    expect(screen.queryByLabelText('Security')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Filters/ }));
    expect(screen.getByLabelText('Security')).toBeTruthy();
  });

  it('shows the checklist until there is data and a first scan; Update data asks first, then the data step is done', async () => {
    const helper = fakeHelper({ images: manyImages(2), vulnData: { present: false, records: 0, updatedAt: null, sources: [] } });
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} layout={narrow()} />);
    const list = await screen.findByTestId('setup-checklist');
    const state = (id: string) => list.querySelector(`[data-step="${id}"]`)!.getAttribute('data-state');
    expect(['helper', 'paired', 'docker', 'data', 'scan'].map(state)).toEqual(['done', 'done', 'done', 'todo', 'todo']);
    fireEvent.click(within(list).getByRole('button', { name: 'Update data…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Update vulnerability data' });
    expect(helper.requests.some((r) => r.path === '/api/data-update' && r.method === 'POST')).toBe(false); // it asks first
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect((await within(dialog).findByTestId('data-update-outcome')).textContent).toContain('Vulnerability data updated from the OSV feed');
    await waitFor(() => expect(state('data')).toBe('done'));
    fireEvent.click(within(list).getByRole('button', { name: 'Quick scan' }));
    expect(await screen.findByRole('dialog', { name: 'Quick scan' })).toBeTruthy();
  });
});

