/**
 * POST /api/pair/request, /api/pair/status (no token; a chrome-extension Origin required) and
 * /api/pair/approve (token required; used by `shipshape pair`). Flow: extension/PAIRING.md.
 */
import { PairApproveBody, PairRequestBody, PairStatusBody, type PairApproveAnswer, type PairRequestAnswer } from '@shipshape/shared';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { HttpError } from '../http/errors.ts';
import { validJson } from '../http/validate.ts';

export function pairRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const { pairing } = deps;

  app.post('/pair/request', async (c) => {
    const origin = extensionOrigin(c);
    const body = await validJson(c, PairRequestBody, { empty: {} });
    const answer: PairRequestAnswer = pairing.request(origin, body.client);
    return c.json(answer, 201);
  });

  app.post('/pair/status', async (c) => {
    const origin = extensionOrigin(c);
    const body = await validJson(c, PairStatusBody);
    return c.json(pairing.status(body.requestId, origin));
  });

  app.post('/pair/approve', async (c) => {
    const body = await validJson(c, PairApproveBody);
    const answer: PairApproveAnswer = pairing.approve(body.code, body.reject);
    return c.json(answer);
  });

  return app;
}

/** The origin guard already refused web origins; here an Origin is also required. */
function extensionOrigin(c: Context): string {
  const origin = c.req.header('origin') ?? '';
  if (!/^chrome-extension:\/\/[a-p]{32}$/.test(origin)) {
    throw new HttpError(403, 'forbidden', 'pairing is only for the Shipshape extension (Origin chrome-extension://<id>)');
  }
  return origin;
}
