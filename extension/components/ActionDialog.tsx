import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../lib/failure';
import { Dialog } from './Dialog';

/**
 * A dialog that does one thing: its form, then Cancel and the action's button. While the
 * action runs the button is disabled; when it succeeds the dialog closes, when it fails the
 * error is shown and the form stays as the user left it.
 */
export function ActionDialog(props: { title: string; actionLabel: string; ready?: boolean; onAction(): Promise<void>; onClose(): void; children: ComponentChildren }) {
  const { title, actionLabel, ready = true, onAction, onClose, children } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await onAction();
      onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {error && <p role="alert" class="error">{error}</p>}
      <footer>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" class="primary" disabled={!ready || busy} onClick={() => void run()}>{actionLabel}</button>
      </footer>
    </Dialog>
  );
}
