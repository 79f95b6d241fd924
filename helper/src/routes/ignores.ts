/**
 * GET /api/ignores (?image= narrows to one image's, ?expired=), POST /api/ignores (201 with the
 * ignore), DELETE /api/ignores/:id. Who set an ignore comes from the request: the paired
 * extension sends an Origin, the CLI (any call with the token alone) does not.
 */
import { CreateIgnoreRequest, IgnoreIdParam, IgnoreListQuery, type IgnoreList, type IgnoreSetter } from '@shipshape/shared';
import { Hono, type Context } from 'hono';
import { HttpError } from '../http/errors.ts';
import { findImage } from '../http/resolve-image.ts';
import { validJson, validParam, validQuery } from '../http/validate.ts';
import { expiryTime } from '../ignores/match.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export const setterOf = (c: Context): IgnoreSetter => (c.req.header('origin') ? 'browser' : 'cli');

export function ignoresRoutes({ store, scans }: ScanRouteDeps): Hono {
  const app = new Hono();

  app.get('/ignores', (c) => {
    const query = validQuery(c, IgnoreListQuery);
    const record = query.image ? findImage(store.images(), query.image) : null;
    const image = record ? { id: record.inventory.id, digests: record.inventory.repoDigests } : undefined;
    const body: IgnoreList = { items: scans.ignores.list({ ...(image ? { image } : {}), ...(query.expired !== undefined ? { expired: query.expired } : {}) }) };
    return c.json(body);
  });

  app.post('/ignores', async (c) => {
    const body = await validJson(c, CreateIgnoreRequest);
    if (body.expiresAt && expiryTime(body.expiresAt) <= scans.ignores.now().getTime()) {
      throw new HttpError(400, 'bad_request', `expiresAt: ${body.expiresAt} has already passed; give a later date, or none to ignore until removed`, 'expiresAt');
    }
    const record = body.image === null ? null : findImage(store.images(), body.image);
    const [rule] = await scans.ignores.add([
      { ...body, image: record?.inventory.id ?? null, imageName: record ? (record.inventory.repoTags[0] ?? null) : null, setBy: setterOf(c) },
    ]);
    return c.json({ ...rule!, expired: false }, 201);
  });

  app.delete('/ignores/:id', async (c) => {
    const id = validParam(c, 'id', IgnoreIdParam);
    if (!(await scans.ignores.remove(id))) throw new HttpError(404, 'not_found', `no ignore with ID ${id}`, 'id');
    return c.body(null, 204);
  });

  return app;
}
