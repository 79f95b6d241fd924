import { render, screen, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeHelper, fakeImage } from '../testing/fakeHelper';
import { readyConnection } from '../testing/render';
import { QuickScanDialog } from './QuickScanDialog';
import { ScheduleDialog } from './ScheduleDialog';
import { ColumnChooser } from './ColumnChooser';
import { Dialog } from './Dialog';
import { LicenseDialog } from './LicenseDialog';
import { UpdateDataDialog } from './UpdateDataDialog';

describe('Dialog', () => {
  it('keeps focus inside: Tab from the last control wraps to the first, Escape closes', async () => {
    const onClose = vi.fn();
    render(
      <>
        <button type="button">outside</button>
        <Dialog title="Test" onClose={onClose}>
          <input aria-label="first field" />
          <button type="button">last</button>
        </Dialog>
      </>,
    );
    const close = screen.getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    const last = screen.getByRole('button', { name: 'last' });
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(last, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});

describe('QuickScanDialog', () => {
  it('starts a scan of the categories and images picked', async () => {
    const helper = fakeHelper({ images: [fakeImage(1), fakeImage(2), fakeImage(3)] });
    const conn = await readyConnection(helper);
    const onStarted = vi.fn();
    render(<QuickScanDialog api={conn.api} initialImages={[]} onStarted={onStarted} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText('Viruses and trojans'));
    fireEvent.click(screen.getByLabelText('Specified images'));
    const start = screen.getByRole('button', { name: 'Start scan' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true); // nothing picked yet
    fireEvent.click(await screen.findByLabelText('app-2:latest'));
    fireEvent.click(start);
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
    expect(helper.requests.find((r) => r.path === '/api/scans')?.body).toEqual({ images: [fakeImage(2).id], categories: ['vulnerabilities', 'sensitive'] });
  });
});

describe('ScheduleDialog', () => {
  it('loads the schedule, saves the changes and shows the next run', async () => {
    const helper = fakeHelper();
    const conn = await readyConnection(helper);
    render(<ScheduleDialog api={conn.api} onClose={() => undefined} />);
    fireEvent.click(await screen.findByLabelText('Scan on a schedule'));
    fireEvent.change(screen.getByLabelText('Frequency'), { target: { value: '7d' } });
    fireEvent.input(screen.getByLabelText('Start time'), { target: { value: '03:30' } });
    fireEvent.input(screen.getByLabelText('End time (optional)'), { target: { value: '05:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Schedule saved.')).toBeTruthy();
    expect(helper.schedule.settings).toEqual({ enabled: true, frequency: '7d', startTime: '03:30', endTime: '05:00', categories: ['vulnerabilities', 'sensitive', 'malware'], images: 'all' });
    expect(screen.getByText(/Next run: (?!—)/)).toBeTruthy();
  });
});

describe('ColumnChooser', () => {
  it('saves the chosen columns in the list order', async () => {
    const onSave = vi.fn(async () => undefined);
    const onClose = vi.fn();
    render(<ColumnChooser columns={['name', 'size']} onSave={onSave} onClose={onClose} />);
    fireEvent.click(screen.getByLabelText('Size'));
    fireEvent.click(screen.getByLabelText('Critical'));
    fireEvent.click(screen.getByLabelText('ID'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onSave).toHaveBeenCalledWith(['name', 'id', 'critical']);
  });
});

describe('LicenseDialog', () => {
  it('assigns licenses to the selected images and shows the pool and the log', async () => {
    const images = [fakeImage(1), fakeImage(2)];
    const helper = fakeHelper({ images });
    const conn = await readyConnection(helper);
    const onChanged = vi.fn();
    render(<LicenseDialog api={conn.api} selected={images.map((i) => i.id)} onChanged={onChanged} onClose={() => undefined} />);
    expect((await screen.findByTestId('license-pool')).textContent).toContain('Pool of 10 · 0 in use · 10 left');
    expect(await screen.findByText('No license changes yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(screen.getByTestId('license-pool').textContent).toContain('2 in use · 8 left'));
    expect(await screen.findByText(/assign · 2 image\(s\)/)).toBeTruthy();
    expect(onChanged).toHaveBeenCalled();
    expect(helper.requests.find((r) => r.path === '/api/licenses' && r.method === 'POST')?.body).toEqual({ images: images.map((i) => i.id), action: 'assign' });
  });
});

describe('UpdateDataDialog', () => {
  it('asks first: Cancel starts nothing; a mirror must be an http(s) URL; OK sends the source chosen', async () => {
    const helper = fakeHelper();
    const conn = await readyConnection(helper);
    const onClose = vi.fn();
    const { unmount } = render(<UpdateDataDialog api={conn.api} onFinished={() => undefined} onClose={onClose} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
    unmount();
    const onFinished = vi.fn();
    render(<UpdateDataDialog api={conn.api} onFinished={onFinished} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText('Mirror URL', { selector: 'input[type="radio"]' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Mirror URL' }), { target: { value: 'ftp://mirror/osv' } });
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(screen.getByRole('alert').textContent).toMatch(/must start with http/);
    fireEvent.click(screen.getByLabelText('Local file or folder'));
    fireEvent.input(screen.getByRole('textbox', { name: 'File or folder on this machine' }), { target: { value: '/srv/osv/all.zip' } });
    expect(helper.requests.some((r) => r.path === '/api/data-update' && r.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    const outcome = await screen.findByTestId('data-update-outcome');
    expect(outcome.textContent).toContain('Vulnerability data updated from /srv/osv/all.zip');
    expect(helper.requests.find((r) => r.path === '/api/data-update' && r.method === 'POST')?.body).toEqual({ source: '/srv/osv/all.zip' });
    expect(onFinished).toHaveBeenCalled();
  });

  it('says which source failed, why, and offers another one', async () => {
    const helper = fakeHelper({ dataUpdateFails: 'vulnerability data update failed: http://127.0.0.1:9/npm/all.zip: fetch failed' });
    const conn = await readyConnection(helper);
    render(<UpdateDataDialog api={conn.api} onFinished={() => undefined} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText('Mirror URL', { selector: 'input[type="radio"]' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Mirror URL' }), { target: { value: 'http://127.0.0.1:9' } });
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    const outcome = await screen.findByTestId('data-update-outcome');
    expect(outcome.getAttribute('role')).toBe('alert');
    expect(outcome.textContent).toContain('The update from the mirror http://127.0.0.1:9 failed: vulnerability data update failed: http://127.0.0.1:9/npm/all.zip: fetch failed');
    expect(outcome.textContent).toContain('or use a local file or folder instead');
    expect(helper.requests.find((r) => r.path === '/api/data-update' && r.method === 'POST')?.body).toEqual({ mirror: 'http://127.0.0.1:9' });
    fireEvent.click(screen.getByRole('button', { name: 'Try another source' }));
    expect(screen.getByRole('button', { name: 'OK' })).toBeTruthy();
  });
});
