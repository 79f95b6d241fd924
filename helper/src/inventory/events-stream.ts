/** Reads Docker's events stream (newline-delimited JSON) and hands each event over. */
export type DockerEvent = { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; id?: string; time?: number };

/** Resolves when the stream ends or fails (the daemon went away); never rejects. */
export function consumeEvents(stream: NodeJS.ReadableStream, onEvent: (event: DockerEvent) => void): Promise<string> {
  return new Promise((resolve) => {
    let buffered = '';
    let settled = false;
    const finish = (why: string) => {
      if (settled) return;
      settled = true;
      resolve(why);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      // Events are small; a line this long is not an event, and must not grow without bound.
      if (buffered.length > 1024 * 1024) buffered = '';
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        try {
          onEvent(JSON.parse(line) as DockerEvent);
        } catch {
          // Not JSON: ignore the line, keep the stream.
        }
      }
    });
    stream.on('end', () => finish('events stream ended'));
    stream.on('close', () => finish('events stream closed'));
    stream.on('error', (error: Error) => finish(`events stream failed: ${error.message}`));
  });
}
