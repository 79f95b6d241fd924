/**
 * A place in a queue for something handed over one at a time (a free worker, room for a layer
 * file): whoever frees one calls the first taker in `queue` with it. A cancel leaves the queue
 * and rejects with the signal's reason.
 */
export function waitInLine<T>(queue: Array<(value: T) => void>, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const take = (value: T) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => {
      const at = queue.indexOf(take);
      if (at >= 0) queue.splice(at, 1);
      reject(signal!.reason instanceof Error ? signal!.reason : new Error('scan cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    queue.push(take);
  });
}
