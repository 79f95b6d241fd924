/**
 * The re-match's report writer thread: puts each report it is sent together
 * (report-writer-protocol.ts) and writes it, one at a time. Started by report-writer-thread.ts.
 */
import { writeFile } from 'node:fs/promises';
import type { MessagePort } from 'node:worker_threads';
import { reportChunks, type WriteReply, type WriteRequest } from './report-writer-protocol.ts';

/** Reports up to this size are copied into one kept buffer and written with one call. */
const KEPT_BUFFER = 2 << 20;

export function serveReportWrites(port: MessagePort): void {
  const canonical: (readonly [Buffer, Buffer])[] = [];
  let kept: Buffer | null = null;
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: WriteRequest) => {
    // Canonical findings are appended in the order they were sent, even if a write fails.
    for (const [head, tail] of request.canonical) canonical.push([Buffer.from(head, 'utf8'), Buffer.from(tail, 'utf8')]);
    queue = queue.then(async () => {
      const reply: WriteReply = { seq: request.seq };
      try {
        const chunks = reportChunks(request.parts, request.stored, canonical);
        let size = 0;
        for (const c of chunks) size += c.length;
        const out = size <= KEPT_BUFFER ? (kept ??= Buffer.allocUnsafe(KEPT_BUFFER)) : Buffer.allocUnsafe(size);
        let at = 0;
        for (const c of chunks) {
          out.set(c, at);
          at += c.length;
        }
        await writeFile(request.path, out.subarray(0, size));
      } catch (error) {
        reply.error = error instanceof Error ? error.message : String(error);
      }
      port.postMessage(reply);
    });
  });
}
