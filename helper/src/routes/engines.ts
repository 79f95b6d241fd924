/**
 * GET /api/engines, POST /api/engines, DELETE /api/engines/:name, GET /api/engines/contexts:
 * the Docker engines the helper watches, managed at run time. Answers never hold a key or the
 * path to one.
 */
import { AddEngineRequest, EngineName, type DockerContextList, type EngineList } from '@shipshape/shared';
import { Hono } from 'hono';
import type { EngineRegistry } from '../engines/registry.ts';
import { validJson, validParam } from '../http/validate.ts';

export function enginesRoutes(engines: EngineRegistry): Hono {
  const app = new Hono();
  app.get('/engines', (c) => c.json({ items: engines.list() } satisfies EngineList));
  app.get('/engines/contexts', (c) => c.json({ items: engines.contexts() } satisfies DockerContextList));
  app.post('/engines', async (c) => c.json(await engines.add(await validJson(c, AddEngineRequest)), 201));
  app.delete('/engines/:name', async (c) => {
    await engines.remove(validParam(c, 'name', EngineName));
    return c.json({ removed: c.req.param('name') });
  });
  return app;
}
