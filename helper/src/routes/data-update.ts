/** POST /api/data-update (starts; 202, or 409 while one runs) and GET /api/data-update (progress, last result). */
import { DataUpdateRequest } from '@shipshape/shared';
import { Hono } from 'hono';
import { HttpError } from '../http/errors.ts';
import { validJson } from '../http/validate.ts';
import { DataUpdateBusyError } from '../scan/data-update.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function dataUpdateRoutes({ scans, inventory }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/data-update', (c) => c.json(scans.dataUpdate.status()));
  app.post('/data-update', async (c) => {
    inventory.requireDocker();
    const hasBody = (c.req.header('content-length') ?? '0') !== '0';
    const body = hasBody ? await validJson(c, DataUpdateRequest) : {};
    try {
      void scans.dataUpdate.start(body).catch(() => {});
    } catch (error) {
      if (error instanceof DataUpdateBusyError) throw new HttpError(409, 'conflict', error.message);
      throw error;
    }
    return c.json(scans.dataUpdate.status(), 202);
  });
  return app;
}
