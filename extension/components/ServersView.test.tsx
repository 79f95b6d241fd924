import { render, screen, fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeHelper, fakeImage, fakeServer } from '../testing/fakeHelper';
import { connectionTo, readyConnection } from '../testing/render';
import { ConnectionSettings } from './ConnectionSettings';
import { SidePanelApp } from './SidePanelApp';

const rows = () => screen.getAllByRole('row').filter((row) => row.hasAttribute('data-image-id'));

function twoEngines() {
  return fakeHelper({
    images: [fakeImage(1, { servers: ['local', 'build'] }), fakeImage(2, { servers: ['build'] }), fakeImage(3)],
    servers: [fakeServer('local', { imageCount: 2 }), fakeServer('build', { online: false, message: 'events stream ended', dockerVersion: '24.0.7', imageCount: 2 })],
  });
}

describe('Servers view', () => {
  it('lists the engines with their status, filters by status and searches by Docker version (the helper filters)', async () => {
    const helper = twoEngines();
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    fireEvent.click(await screen.findByRole('button', { name: /Servers/ }));
    const table = await screen.findByRole('table', { name: 'Servers' });
    const serverRows = () => within(screen.getByRole('table', { name: 'Servers' })).getAllByRole('row').filter((r) => r.hasAttribute('data-server'));
    expect(serverRows().map((r) => r.getAttribute('data-server'))).toEqual(['local', 'build']);
    const offline = within(table).getByText('Offline');
    expect(offline.getAttribute('title')).toBe('events stream ended');

    fireEvent.change(screen.getByLabelText('Server status'), { target: { value: 'offline' } });
    await waitFor(() => expect(serverRows().map((r) => r.getAttribute('data-server'))).toEqual(['build']));
    expect(helper.requests.some((r) => r.path === '/api/servers' && r.query.get('status') === 'offline')).toBe(true);
    fireEvent.change(screen.getByLabelText('Server status'), { target: { value: '' } });

    fireEvent.input(screen.getByRole('searchbox', { name: 'Search servers' }), { target: { value: '24.0' } });
    await waitFor(() => expect(serverRows().map((r) => r.getAttribute('data-server'))).toEqual(['build']));
    expect(screen.getByTestId('server-count').textContent).toBe('1 of 2');
  });

  it('shows one server\'s images from its row, and offers a server filter and column in the list', async () => {
    const helper = twoEngines();
    render(<SidePanelApp conn={await readyConnection(helper)} live={false} />);
    await waitFor(() => expect(rows().length).toBe(3));
    const filter = await screen.findByLabelText('Server');
    expect([...(filter as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['All', 'local', 'build (offline)']);
    fireEvent.change(filter, { target: { value: 'local' } });
    await waitFor(() => expect(rows().length).toBe(2));

    fireEvent.click(screen.getByRole('button', { name: /Servers/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Show the images on build' }));
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-image-id')).sort()).toEqual([fakeImage(1).id, fakeImage(2).id].sort()));
    expect(helper.requests.filter((r) => r.path === '/api/images').at(-1)!.query.get('server')).toBe('build');
  });

  it('hides the server filter when the helper watches one engine', async () => {
    render(<SidePanelApp conn={await readyConnection(fakeHelper({ images: [fakeImage(1)] }))} live={false} />);
    await waitFor(() => expect(rows().length).toBe(1));
    expect(screen.queryByLabelText('Server')).toBeNull();
  });
});

describe('engines in the settings page', () => {
  it('adds an engine from a Docker context and lists it', async () => {
    const helper = fakeHelper({ contexts: [{ name: 'staging box', description: 'the staging host', endpoint: 'tcp://10.1.2.3:2376', tls: true, current: false, engine: null }] });
    const state = connectionTo(helper);
    render(<ConnectionSettings state={state} />);
    const add = await screen.findByRole('button', { name: 'Add staging box' });
    fireEvent.click(add);
    expect(await screen.findByText('Added staging-box.')).toBeTruthy();
    expect(helper.requests.find((r) => r.path === '/api/engines' && r.method === 'POST')!.body).toEqual({ name: 'staging-box', context: 'staging box' });
    const engines = await screen.findByRole('table', { name: 'Engines' });
    await waitFor(() => expect(within(engines).getByText('staging-box')).toBeTruthy());
    expect(await screen.findByText('watched as staging-box')).toBeTruthy();
  });
});
