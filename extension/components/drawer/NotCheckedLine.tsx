import type { NotChecked } from '@shipshape/shared';
import type { Api } from '../../lib/api';
import { useDataUpdateAction } from '../../lib/useDataUpdateAction';

/** The helper's reason, in the drawer's words: missing data says so plainly and offers the fix. */
function describe(gap: NotChecked): { text: string; canUpdate: boolean } {
  if (gap.category === 'vulnerabilities' && /^no vulnerability data/.test(gap.reason)) return { text: 'Not checked: no vulnerability data.', canUpdate: true };
  if (gap.category === 'vulnerabilities' && /still being fetched/.test(gap.reason)) {
    return { text: 'Not checked yet: the vulnerability data is still being fetched; the image is re-matched when it arrives.', canUpdate: false };
  }
  return { text: `Not checked: ${gap.reason}`, canUpdate: false };
}

/**
 * A category the latest scan could not evaluate: said instead of "nothing found", which would
 * read as a clean result. "Update data" fixes missing vulnerability data without a new scan.
 */
export function NotCheckedLine({ gap, api, onUpdated }: { gap: NotChecked; api: Api; onUpdated(): void }) {
  const { text, canUpdate } = describe(gap);
  const action = useDataUpdateAction(api, onUpdated);
  return (
    <p class="not-checked" data-testid={`not-checked-${gap.category}`}>
      {text}{' '}
      {canUpdate && (
        <button type="button" class="link" disabled={action.busy} onClick={() => void action.update()}>
          {action.busy ? 'Updating data…' : 'Update data'}
        </button>
      )}
      {action.message && <span class={action.message.error ? 'error' : 'ok'}> {action.message.text}</span>}
    </p>
  );
}
