import type { ReadonlySignal } from '@preact/signals';
import type { EventStreamState } from '../lib/events';
import { ActionMenu, type MenuAction } from './ActionMenu';
import { ThemeToggle } from './ThemeToggle';

const streamText: Record<EventStreamState, string> = { open: '● live', connecting: '○ connecting', retrying: '○ reconnecting', stopped: '○ reconnecting' };

/**
 * The side panel's title bar: the image count, the primary action, and the other actions:
 * side by side on wide pages, in a "More" menu on narrow ones (they would not fit).
 */
export function Toolbar({ wide, total, primary, actions, stream }: { wide: boolean; total: ReadonlySignal<number>; primary: MenuAction; actions: MenuAction[]; stream: EventStreamState }) {
  return (
    <header class="toolbar">
      <h1>
        Images <span class="muted" data-testid="image-total">{total}</span>
      </h1>
      <button type="button" class="primary" onClick={primary.onSelect}>
        {primary.label}
      </button>
      {wide
        ? actions.map((action) => (
            <button key={action.id} type="button" disabled={action.disabled} onClick={action.onSelect}>
              {action.label}
            </button>
          ))
        : <ActionMenu label="More" actions={actions} />}
      <ThemeToggle />
      <span class={`stream stream-${stream}`} title="Live updates from the helper">
        {streamText[stream]}
      </span>
    </header>
  );
}
