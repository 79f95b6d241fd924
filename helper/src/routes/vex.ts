/**
 * GET /api/vex: the ignores in force as one OpenVEX v0.2.0 document (`?author=` names who
 * issues it); 404 when there is none. POST /api/vex: an OpenVEX document becomes ignores
 * (pkg:docker products resolve by the tags of the images here) → what was imported and skipped.
 */
import { VexDocument, type VexImportResult } from '@shipshape/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { validJson, validQuery } from '../http/validate.ts';
import { toOpenVex } from '../vex/export.ts';
import { fromOpenVex } from '../vex/import.ts';
import { setterOf } from './ignores.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

const ExportQuery = z.object({ author: z.string().trim().min(1).max(256).optional() }).strict();
export const DEFAULT_VEX_AUTHOR = 'Shipshape user';

export function vexRoutes({ store, scans, version }: ScanRouteDeps): Hono {
  const app = new Hono();

  app.get('/vex', (c) => {
    const { author } = validQuery(c, ExportQuery);
    const rules = scans.ignores.list({ expired: false }).map(({ expired: _expired, ...rule }) => rule);
    if (rules.length === 0) throw new HttpError(404, 'not_found', 'there are no ignores in force to export');
    const document = toOpenVex(rules, { author: author ?? DEFAULT_VEX_AUTHOR, tooling: `Shipshape ${version}`, now: scans.ignores.now() });
    return c.json(document, 200, { 'Content-Disposition': 'attachment; filename="shipshape.openvex.json"' });
  });

  app.post('/vex', async (c) => {
    const document = await validJson(c, VexDocument);
    const { ignores, skipped } = fromOpenVex(document, {
      imagesTagged: (reference) => store.images().filter((r) => r.inventory.repoTags.includes(reference)).map((r) => r.inventory.id),
      setBy: setterOf(c),
      now: scans.ignores.now(),
    });
    const added = await scans.ignores.add(ignores);
    const body: VexImportResult = { imported: added.length, skipped };
    return c.json(body);
  });

  return app;
}
