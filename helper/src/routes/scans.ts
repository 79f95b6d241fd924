/** POST /api/scans, GET /api/scans, GET /api/scans/:task, POST /api/scans/cancel. */
import { CancelScanRequest, CreateScanRequest, type CancelScanResponse, type ScanTaskList } from '@shipshape/shared';
import { Hono } from 'hono';
import { HttpError } from '../http/errors.ts';
import { validJson } from '../http/validate.ts';
import { UnknownImageError } from '../scan/engine.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function scansRoutes({ inventory, scans }: ScanRouteDeps): Hono {
  const app = new Hono();

  app.post('/scans', async (c) => {
    inventory.requireDocker();
    const body = await validJson(c, CreateScanRequest);
    try {
      const task = await scans.engine.createTask({ images: body.images, categories: body.categories });
      return c.json(task, 202);
    } catch (error) {
      if (error instanceof UnknownImageError) throw new HttpError(404, 'not_found', `no image with ID ${error.imageId}`, 'images');
      throw error;
    }
  });

  app.get('/scans', (c) => {
    const body: ScanTaskList = { items: scans.engine.listTasks().map(({ images: _images, ...task }) => task) };
    return c.json(body);
  });

  app.post('/scans/cancel', async (c) => {
    const body = await validJson(c, CancelScanRequest);
    if (body.task && !scans.engine.getTask(body.task)) throw new HttpError(404, 'not_found', `no scan task ${body.task}`, 'task');
    const answer: CancelScanResponse = { cancelled: scans.engine.cancel(body) };
    return c.json(answer);
  });

  app.get('/scans/:task', (c) => {
    const id = c.req.param('task');
    const task = id.length <= 64 ? scans.engine.getTask(id) : null;
    if (!task) throw new HttpError(404, 'not_found', `no scan task ${id.slice(0, 64)}`, 'task');
    return c.json(task);
  });

  return app;
}
