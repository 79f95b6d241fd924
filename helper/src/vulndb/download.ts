/**
 * Conditional download of one archive to a file: sends the stored ETag and
 * Last-Modified, so an unchanged archive answers 304 and nothing is fetched. The body
 * streams to disk (never held in memory) with progress; network failures become one
 * clear error naming the URL.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export class DownloadError extends Error {
  override name = 'DownloadError';
}

export type DownloadResult =
  | { status: 'not-modified' }
  | { status: 'downloaded'; file: string; bytes: number; etag: string | null; lastModified: string | null };

export interface DownloadOptions {
  url: string;
  file: string;
  etag?: string | null;
  lastModified?: string | null;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | null) => void;
}

export async function downloadIfChanged(options: DownloadOptions): Promise<DownloadResult> {
  const headers: Record<string, string> = {};
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  let response: Response;
  try {
    response = await fetch(options.url, { headers, signal: options.signal, redirect: 'follow' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(`cannot reach ${options.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 'not-modified' };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(`${options.url} answered ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get('content-length')) || null;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      options.onProgress?.(received, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), count, createWriteStream(options.file), {
      signal: options.signal,
    });
  } catch (error) {
    await rm(options.file, { force: true });
    if (options.signal?.aborted) throw error;
    throw new DownloadError(`download of ${options.url} failed after ${received} bytes: ${(error as Error).message}`);
  }
  if (total !== null && received !== total) {
    await rm(options.file, { force: true });
    throw new DownloadError(`download of ${options.url} was cut short (${received} of ${total} bytes)`);
  }
  return { status: 'downloaded', file: options.file, bytes: received, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
}
