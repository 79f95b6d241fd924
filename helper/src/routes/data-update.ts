/**
 * Data updates:
 * - POST /api/data-update: starts one (202, or 409 while one runs): the feed, `{ mirror }`, or
 *   `{ source }`, a file or folder that must lie in an import folder (400 otherwise, naming
 *   the problem, never the file's content);
 * - POST /api/data-update/import?name=all.zip: a file from the browser ("Import file…") as the
 *   request body, kept as `<data dir>/imports/uploads/<name>` (the same name replaces the
 *   same source), then imported;
 * - GET /api/data-update: progress (per source) and the last result;
 * - GET/PUT /api/settings/data-update: automatic refresh (off|daily|weekly) and the mirror.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DataUpdateRequest, DataUpdateSettings, type DataUpdateSettingsView } from '@shipshape/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { OutsideImportFoldersError } from '../files/import-folders.ts';
import { HttpError } from '../http/errors.ts';
import { validJson, validQuery } from '../http/validate.ts';
import { DataUpdateBusyError } from '../scan/data-update.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

/** The upload route streams its body to disk: the app's 1 MB JSON cap does not apply to it. */
export const DATA_UPLOAD_PATH = '/api/data-update/import';
/** Larger than any OSV archive (npm's all.zip is a few hundred MB). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

const UploadQuery = z
  .object({
    name: z
      .string()
      .max(200)
      .regex(/^[\w][\w.-]*\.(?:zip|json|jsonl|jsonl\.gz|txt|txt\.gz|list|gz)$/i, 'must be a plain file name ending in .zip, .json, .jsonl(.gz), .txt(.gz), .list or .gz'),
  })
  .strict();

export function dataUpdateRoutes({ scans, inventory }: ScanRouteDeps): Hono {
  const app = new Hono();
  const start = (request: DataUpdateRequest) => {
    try {
      void scans.dataUpdate.start(request, 'manual').catch(() => {});
    } catch (error) {
      if (error instanceof DataUpdateBusyError) throw new HttpError(409, 'conflict', error.message);
      throw error;
    }
  };

  app.get('/data-update', (c) => c.json(scans.dataUpdate.status()));
  app.post('/data-update', async (c) => {
    inventory.requireDocker();
    const body = await validJson(c, DataUpdateRequest, { empty: {} });
    if (body.source) {
      await scans.folders.resolve(body.source, 'source').catch((error: Error) => {
        if (error instanceof OutsideImportFoldersError) throw new HttpError(400, 'bad_request', error.message, 'source');
        throw error;
      });
    }
    start(body);
    return c.json(scans.dataUpdate.status(), 202);
  });

  app.post('/data-update/import', async (c) => {
    inventory.requireDocker();
    const { name } = validQuery(c, UploadQuery);
    if (scans.dataUpdate.running) throw new HttpError(409, 'conflict', 'a data update is already running');
    const body = c.req.raw.body;
    if (!body) throw new HttpError(400, 'bad_request', 'body: the file to import is missing', 'body');
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > MAX_UPLOAD_BYTES) throw new HttpError(413, 'payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
    const dir = join(scans.folders.folders[0]!, 'uploads');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, name);
    const partial = `${file}.partial-${process.pid}`;
    let received = 0;
    try {
      await pipeline(
        Readable.fromWeb(body as unknown as WebReadableStream),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            received += chunk.length;
            if (received > MAX_UPLOAD_BYTES) throw new HttpError(413, 'payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
            yield chunk;
          }
        },
        createWriteStream(partial, { mode: 0o600 }),
      );
      if (received === 0) throw new HttpError(400, 'bad_request', 'body: the file to import is empty', 'body');
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    start({ source: file });
    return c.json(scans.dataUpdate.status(), 202);
  });

  const view = (): DataUpdateSettingsView => ({ settings: scans.dataUpdateSettings(), nextUpdate: scans.refresher.nextUpdate() });
  app.get('/settings/data-update', (c) => c.json(view()));
  app.put('/settings/data-update', async (c) => {
    const settings = await validJson(c, DataUpdateSettings);
    scans.data.update((d) => void (d.dataUpdateSettings = settings));
    scans.refresher.check(); // turned on with no data, or a refresh overdue: now
    return c.json(view());
  });
  return app;
}
