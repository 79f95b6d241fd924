import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ConnectionState } from '../state/connection';
import { formatTime } from '../lib/format';

/**
 * `onPair` replaces the in-place pairing (the popup opens the settings page instead).
 * Shows the children once the helper answers, Docker answers and this browser is paired;
 * otherwise says what is wrong and what to do next.
 */
export function ConnectionGate({ state, children, onPair }: { state: ConnectionState; children: ComponentChildren; onPair?: () => void }) {
  useEffect(() => void state.check(), [state]);
  const status = state.status.value;
  const retry = (
    <button type="button" onClick={() => void state.check()}>
      Retry
    </button>
  );
  switch (status.kind) {
    case 'ready':
      return <>{children}</>;
    case 'checking':
      return <p class="notice" role="status">Connecting to the helper…</p>;
    case 'helper_down':
      return (
        <section class="notice" role="alert" aria-labelledby="gate-title">
          <h2 id="gate-title">The helper is not running</h2>
          <p>{status.message} Start it in the Shipshape folder:</p>
          <pre><code>npm start</code></pre>
          <p>(or <code>pnpm shipshape serve</code>), then {retry}</p>
        </section>
      );
    case 'docker_down':
      return (
        <section class="notice" role="alert" aria-labelledby="gate-title">
          <h2 id="gate-title">Docker is not answering</h2>
          <p>{status.message} Start Docker (<code>sudo systemctl start docker</code>) and {retry}</p>
        </section>
      );
    case 'not_paired':
    case 'rejected':
    case 'expired':
      return (
        <section class="notice" role="alert" aria-labelledby="gate-title">
          <h2 id="gate-title">
            {status.kind === 'not_paired' ? 'Pair this browser with the helper' : status.kind === 'rejected' ? 'Pairing was rejected' : 'The pairing code expired'}
          </h2>
          <p>
            {status.kind === 'rejected'
              ? 'The helper refused this extension. Pair again and approve the new code.'
              : 'The helper shows you a short code; approve it on this machine and you are done.'}
          </p>
          {/* The popup closes as soon as the user turns to the terminal, so it pairs from a page that stays open. */}
          <button type="button" class="primary" onClick={() => (onPair ? onPair() : void state.startPairing())}>
            {status.kind === 'not_paired' ? 'Pair' : 'Pair again'}
          </button>
        </section>
      );
    case 'pairing':
      return (
        <section class="notice" role="status" aria-labelledby="gate-title">
          <h2 id="gate-title">Approve this code</h2>
          <p class="pair-code" data-testid="pair-code">{status.code}</p>
          <p>In the Shipshape folder, run:</p>
          <pre><code>pnpm shipshape pair {status.code}</code></pre>
          <p>Waiting for approval (the code expires at {formatTime(status.expiresAt)})…</p>
          <button type="button" onClick={() => state.cancelPairing()}>
            Cancel
          </button>
        </section>
      );
    case 'error':
      return (
        <section class="notice" role="alert">
          <h2>Something went wrong</h2>
          <p>{status.message}</p>
          {retry}
        </section>
      );
  }
}
