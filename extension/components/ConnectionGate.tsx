import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ConnectionState } from '../state/connection';
import { setupSteps, type StepAction } from '../state/setup';
import { formatTime } from '../lib/format';
import { SetupChecklist } from './SetupChecklist';

/**
 * Shows the children once the helper answers, this browser is paired and Docker answers;
 * until then, the first-run checklist says what is missing and offers the action that fixes
 * it. `onPair` replaces the in-place pairing (the popup opens the settings page instead).
 */
export function ConnectionGate({ state, children, onPair }: { state: ConnectionState; children: ComponentChildren; onPair?: () => void }) {
  useEffect(() => void state.check(), [state]);
  const status = state.status.value;
  const steps = setupSteps(status, state.health.value, state.dashboard.value);
  if (status.kind === 'ready') return <>{children}</>;
  // The first look: a line, not a checklist that flashes by when all is well.
  if (status.kind === 'checking' && !state.health.value) return <p class="notice" role="status">Connecting to the helper…</p>;
  const act = (action: StepAction) => {
    if (action === 'retry') void state.check();
    else if (action === 'pair') (onPair ? onPair() : void state.startPairing());
    else if (action === 'cancel-pairing') state.cancelPairing();
  };
  return (
    <div class="gate" role={status.kind === 'checking' ? 'status' : 'alert'}>
      <SetupChecklist steps={steps} onAction={act} />
      {status.kind === 'pairing' && (
        <section class="notice pairing" aria-labelledby="pairing-title">
          <h2 id="pairing-title">Approve this code</h2>
          <p class="pair-code" data-testid="pair-code">{status.code}</p>
          <p class="muted small">Waiting for approval (the code expires at {formatTime(status.expiresAt)})…</p>
        </section>
      )}
    </div>
  );
}
