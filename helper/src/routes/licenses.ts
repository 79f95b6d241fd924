/** GET /api/licenses, POST /api/licenses {images, action}, GET /api/licenses/events. */
import { LicenseRequest, type LicenseEventList } from '@shipshape/shared';
import { Hono } from 'hono';
import { validJson } from '../http/validate.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function licensesRoutes({ scans }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/licenses', (c) => c.json(scans.licenses.state()));
  app.post('/licenses', async (c) => {
    const body = await validJson(c, LicenseRequest);
    return c.json(await scans.licenses.apply(body.action, body.images));
  });
  app.get('/licenses/events', (c) => {
    const body: LicenseEventList = { items: scans.licenses.events() };
    return c.json(body);
  });
  return app;
}
