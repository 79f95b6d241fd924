import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consumeEvents, type DockerEvent } from './events-stream.ts';

describe('consumeEvents', () => {
  it('parses events split across chunks, skips junk, and resolves when the stream ends', async () => {
    const stream = new PassThrough();
    const seen: DockerEvent[] = [];
    const done = consumeEvents(stream, (e) => seen.push(e));
    stream.write('{"Type":"image","Act');
    stream.write('ion":"load"}\nnot json\n\n{"Type":"container","Action":"start"}\n');
    stream.end();
    expect(await done).toMatch(/ended|closed/);
    expect(seen.map((e) => e.Action)).toEqual(['load', 'start']);
  });

  it('resolves (never rejects) when the stream fails', async () => {
    const stream = new PassThrough();
    const done = consumeEvents(stream, () => undefined);
    stream.destroy(new Error('socket hang up'));
    expect(await done).toMatch(/failed: socket hang up|closed/);
  });
});
