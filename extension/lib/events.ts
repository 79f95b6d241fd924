import { ServerEvent } from '@shipshape/shared';
import type { Api } from './api';
import { ApiFailure } from './failure';

export type EventStreamState = 'connecting' | 'open' | 'retrying' | 'stopped';

/**
 * Follows GET /api/events until the signal aborts, reconnecting with a growing delay (1 s to
 * 30 s) when the helper goes away. Stops for good on 401/403: the pairing is gone.
 */
export async function followEvents(
  api: Api,
  onEvent: (event: ServerEvent) => void,
  signal: AbortSignal,
  onState: (state: EventStreamState, error?: unknown) => void = () => undefined,
): Promise<void> {
  let delay = 1000;
  while (!signal.aborted) {
    onState('connecting');
    try {
      for await (const message of api.events(signal)) {
        if (delay !== 1000 || message.event === 'ready') onState('open');
        delay = 1000;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          continue;
        }
        const parsed = ServerEvent.safeParse(data && typeof data === 'object' && !('type' in data) ? { type: message.event, ...data } : data);
        if (parsed.success) onEvent(parsed.data);
      }
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof ApiFailure && (error.kind === 'unauthorized' || error.kind === 'forbidden')) {
        onState('stopped', error);
        return;
      }
      onState('retrying', error);
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
  onState('stopped');
}
