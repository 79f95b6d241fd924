import { describe, expect, it } from 'vitest';
import { readSse } from './sse';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readSse', () => {
  it('reassembles events split across chunks, skips comments, joins multi-line data', async () => {
    const messages = [];
    for await (const m of readSse(streamOf(': keep-alive\n\nevent: scan.fin', 'ished\nid: 7\ndata: {"a":\ndata: 1}\n\n', 'data: plain\r\n\r\n'))) messages.push(m);
    expect(messages).toEqual([
      { event: 'scan.finished', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });
});
