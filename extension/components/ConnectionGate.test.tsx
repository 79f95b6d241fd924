import { render, screen, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeHelper } from '../testing/fakeHelper';
import { connectionTo } from '../testing/render';
import { ConnectionGate } from './ConnectionGate';
import { createApi } from '../lib/api';
import { memoryStore } from '../lib/storage';
import { createConnectionState } from '../state/connection';

const content = <p>the images</p>;

describe('ConnectionGate', () => {
  it('tells the user how to start the helper when nothing answers', async () => {
    render(<ConnectionGate state={connectionTo(fakeHelper({ down: true }))}>{content}</ConnectionGate>);
    expect(await screen.findByText('The helper is not running')).toBeTruthy();
    expect(screen.getByText('npm start')).toBeTruthy();
    expect(screen.queryByText('the images')).toBeNull();
  });

  it('says Docker is unreachable when the helper reports it', async () => {
    render(<ConnectionGate state={connectionTo(fakeHelper({ dockerReachable: false }))}>{content}</ConnectionGate>);
    expect(await screen.findByText('Docker is not answering')).toBeTruthy();
  });

  it('pairs: shows the code and the command, then the content once approved, and keeps the token', async () => {
    const helper = fakeHelper();
    const state = connectionTo(helper, false);
    render(<ConnectionGate state={state}>{content}</ConnectionGate>);
    fireEvent.click(await screen.findByRole('button', { name: 'Pair' }));
    expect((await screen.findByTestId('pair-code')).textContent).toBe('K7M4QX');
    expect(screen.getByText('pnpm shipshape pair K7M4QX')).toBeTruthy();
    helper.pairing.state = 'approved';
    expect(await screen.findByText('the images')).toBeTruthy();
    expect(state.connection.value.token).toBe(helper.token);
    // the token travelled in a header, never in a URL
    expect(helper.requests.every((r) => !r.query.toString().includes(helper.token))).toBe(true);
    expect(helper.requests.at(-1)?.auth).toBe(`Bearer ${helper.token}`);
  });

  it('shows a rejected pairing and offers to pair again', async () => {
    const helper = fakeHelper();
    helper.pairing.state = 'rejected';
    render(<ConnectionGate state={connectionTo(helper, false)}>{content}</ConnectionGate>);
    fireEvent.click(await screen.findByRole('button', { name: 'Pair' }));
    expect(await screen.findByText('Pairing was rejected')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pair again' })).toBeTruthy();
  });

  it('goes back to "not paired" when the helper no longer accepts the token', async () => {
    const helper = fakeHelper({ token: 'rotated' });
    const store = memoryStore({ helperUrl: 'http://127.0.0.1:7373', token: 'old' });
    const state = createConnectionState(store, (c) => createApi(c, helper.fetch));
    render(<ConnectionGate state={state}>{content}</ConnectionGate>);
    expect(await screen.findByText('Pair this browser with the helper')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('the images')).toBeNull());
  });
});
