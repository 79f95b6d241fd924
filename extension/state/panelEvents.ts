import type { ServerEvent } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { followEvents, type EventStreamState } from '../lib/events';
import type { ImageListState } from './imageList';
import type { LiveState } from './liveTask';
import type { OverviewState } from './overview';

type Targets = {
  list: ImageListState;
  overview: OverviewState;
  live: LiveState;
  /** The open image changed (a scan finished, a license moved): the drawer reloads. */
  onDrawerStale(): void;
  /** A data update ended: health (vulnerability data) is worth asking again. */
  onDataUpdated(): void;
  /** An engine went offline, came back, was added or removed. */
  onServersChanged?(): void;
  onStream(state: EventStreamState, error?: unknown): void;
  /** Every event, for state that follows the stream itself (the vulnerability data's status). */
  onEvent?(event: ServerEvent): void;
};

/**
 * What the side panel does with the helper's events: a changed image is replaced in place, an
 * added or removed one (and a finished scan, a license change, a data update) reloads the list
 * and the header counts once the burst is over.
 */
export function followPanelEvents(api: Api, targets: Targets, signal: AbortSignal, settleMs = 300): void {
  const { list, overview, live } = targets;
  const debounce = (run: () => void) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    signal.addEventListener('abort', () => clearTimeout(timer));
    return () => {
      clearTimeout(timer);
      timer = setTimeout(run, settleMs);
    };
  };
  const countsSoon = debounce(() => void overview.load());
  const listSoon = debounce(() => void list.load());
  const reloadSoon = () => {
    listSoon();
    countsSoon();
  };
  const onEvent = (event: ServerEvent) => {
    live.apply(event);
    targets.onEvent?.(event);
    switch (event.type) {
      case 'image.changed':
      case 'image.added':
      case 'image.removed':
        if (event.type === 'image.changed' && event.image) {
          list.updateImage(event.image);
          countsSoon();
        } else reloadSoon();
        if (event.imageId === list.openImageId.peek()) targets.onDrawerStale();
        break;
      case 'scan.finished':
      case 'license.changed':
        reloadSoon();
        targets.onDrawerStale();
        break;
      case 'data_update.progress':
        if (!event.status.running) {
          reloadSoon();
          targets.onDataUpdated();
        }
        break;
      case 'server.changed':
      case 'server.removed':
        targets.onServersChanged?.();
        break;
    }
  };
  void followEvents(api, onEvent, signal, targets.onStream);
}
