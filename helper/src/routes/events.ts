/**
 * GET /api/events: Server-Sent Events. Authenticated like every route, by the
 * `Authorization: Bearer` header (never a token in the URL). Each event's name is its `type`;
 * a comment line every 15 s keeps proxies and idle timeouts from closing the stream. The
 * stream ends when the token is rotated.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ServerEvent } from '@shipshape/shared';
import type { ScanRouteDeps } from './scans-deps.ts';

const KEEP_ALIVE_MS = 15_000;
const MAX_QUEUED = 1000;

export function eventsRoutes({ scans, bus }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: ServerEvent[] = [];
      let wake: (() => void) | null = null;
      let closed = false;
      const close = () => {
        closed = true;
        wake?.();
      };
      const offEvents = scans.hub.subscribe((event) => {
        // A client that stops reading loses the oldest progress events, never the helper's memory.
        if (queue.length >= MAX_QUEUED) queue.shift();
        queue.push(event);
        wake?.();
      });
      const offRotate = bus.on('token.rotated', close);
      stream.onAbort(close);
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(close), KEEP_ALIVE_MS);
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: new Date().toISOString() }) });
        while (!closed) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        clearInterval(keepAlive);
        offEvents();
        offRotate();
      }
    }),
  );
  return app;
}
