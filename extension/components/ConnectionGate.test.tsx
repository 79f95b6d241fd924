import { render, screen, fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeHelper } from '../testing/fakeHelper';
import { connectionTo } from '../testing/render';
import { ConnectionGate } from './ConnectionGate';
import { createApi } from '../lib/api';
import { memoryStore } from '../lib/storage';
import { createConnectionState } from '../state/connection';

const content = <p>the images</p>;
const step = (id: string) => document.querySelector<HTMLElement>(`[data-step="${id}"]`)!;

describe('ConnectionGate (the first-run checklist until the helper, pairing and Docker are in place)', () => {
  it('tells the user how to start the helper when nothing answers, and checks again on Retry', async () => {
    const options = { down: true };
    const helper = fakeHelper(options);
    render(<ConnectionGate state={connectionTo(helper)}>{content}</ConnectionGate>);
    await waitFor(() => expect(step('helper').dataset.state).toBe('todo'));
    expect(step('helper').textContent).toContain('The helper is not running');
    expect(within(step('helper')).getByText('npm start')).toBeTruthy();
    expect(['paired', 'docker', 'data', 'scan'].map((id) => step(id).dataset.state)).toEqual(['waiting', 'waiting', 'waiting', 'waiting']);
    expect(screen.queryByText('the images')).toBeNull();
    options.down = false; // the user ran npm start
    fireEvent.click(within(step('helper')).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('the images')).toBeTruthy();
  });

  it('says Docker does not answer, with the command to start it, once the helper runs', async () => {
    render(<ConnectionGate state={connectionTo(fakeHelper({ dockerReachable: false }))}>{content}</ConnectionGate>);
    await waitFor(() => expect(step('docker').dataset.state).toBe('todo'));
    expect(step('docker').textContent).toContain('Docker does not answer');
    expect(within(step('docker')).getByText('sudo systemctl start docker')).toBeTruthy();
    // The token was accepted (503, not 401): pairing is done, Docker is what is missing.
    expect(step('paired').dataset.state).toBe('done');
    expect(step('helper').dataset.state).toBe('done');
  });

  it('shows each missing piece at once: not paired while Docker is down and there is no data', async () => {
    const helper = fakeHelper({ dockerReachable: false, vulnData: { present: false, records: 0, updatedAt: null, sources: [] } });
    render(<ConnectionGate state={connectionTo(helper, false)}>{content}</ConnectionGate>);
    await waitFor(() => expect(step('paired').dataset.state).toBe('todo'));
    expect(step('docker').dataset.state).toBe('todo');
    expect(step('data').dataset.state).toBe('todo');
    expect(step('data').textContent).toContain('No vulnerability data');
    expect(within(step('paired')).getByRole('button', { name: 'Pair' })).toBeTruthy();
  });

  it('pairs: shows the code and the command, then the content once approved, and keeps the token', async () => {
    const helper = fakeHelper();
    const state = connectionTo(helper, false);
    render(<ConnectionGate state={state}>{content}</ConnectionGate>);
    fireEvent.click(await screen.findByRole('button', { name: 'Pair' }));
    expect((await screen.findByTestId('pair-code')).textContent).toBe('K7M4QX');
    expect(screen.getByText('shipshape pair K7M4QX')).toBeTruthy();
    helper.pairing.state = 'approved';
    expect(await screen.findByText('the images')).toBeTruthy();
    expect(state.connection.value.token).toBe(helper.token);
    // the token travelled in a header, never in a URL
    expect(helper.requests.every((r) => !r.query.toString().includes(helper.token))).toBe(true);
    expect(helper.requests.some((r) => r.path === '/api/dashboard' && r.auth === `Bearer ${helper.token}`)).toBe(true);
  });

  it('shows a rejected pairing and offers to pair again', async () => {
    const helper = fakeHelper();
    helper.pairing.state = 'rejected';
    render(<ConnectionGate state={connectionTo(helper, false)}>{content}</ConnectionGate>);
    fireEvent.click(await screen.findByRole('button', { name: 'Pair' }));
    expect(await screen.findByText(/The helper refused this browser/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pair again' })).toBeTruthy();
  });

  it('goes back to "not paired" when the helper no longer accepts the token', async () => {
    const helper = fakeHelper({ token: 'rotated' });
    const store = memoryStore({ helperUrl: 'http://127.0.0.1:7373', token: 'old' });
    const state = createConnectionState(store, (c) => createApi(c, helper.fetch));
    render(<ConnectionGate state={state}>{content}</ConnectionGate>);
    expect(await screen.findByText(/Not paired yet/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('the images')).toBeNull());
  });
});
