/** Fan-out of the API's server events (shared/src/events.ts) to SSE clients and tests. */
import { EventEmitter } from 'node:events';
import type { ServerEvent } from '@shipshape/shared';

export class EventHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit = (event: ServerEvent): void => {
    this.emitter.emit('event', event);
  };

  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
