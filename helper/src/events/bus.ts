/**
 * In-process event bus: the inventory, token store and (later) the scan engine publish here;
 * the SSE route and anything else that reacts to change subscribes.
 */
import { EventEmitter } from 'node:events';
import type { ImageSummary } from '@shipshape/shared';

export type BusEvents = {
  'image.added': { id: string; image: ImageSummary };
  'image.changed': { id: string; image: ImageSummary };
  'image.removed': { id: string };
  /** Whether any engine answers (changes when the first comes up or the last goes away). */
  'docker.status': { reachable: boolean; version: string | null; message?: string };
  /** An engine was added, went offline or online, or its counts changed. */
  'engine.changed': { name: string };
  'engine.removed': { name: string };
  /** The API token changed: every open session (e.g. SSE streams) must end. */
  'token.rotated': Record<string, never>;
};

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0); // one listener per open SSE client
  }

  on<K extends keyof BusEvents>(name: K, listener: (event: BusEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  emit<K extends keyof BusEvents>(name: K, event: BusEvents[K]): void {
    this.emitter.emit(name, event);
  }
}
