/**
 * Request guards, applied before any route does work:
 * - Host: only `127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>` (defeats DNS rebinding);
 * - Origin: a request that carries one must come from a paired extension
 *   (`chrome-extension://<id>`); CORS answers only that origin. Requests without Origin
 *   (CLI, scripts, tests) are let through to the token check;
 * - token: `Authorization: Bearer <token>` on every route but GET /api/health.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../http/errors.ts';

export function hostGuard(port: () => number): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const p = port();
    const allowed = host === `127.0.0.1:${p}` || host === `localhost:${p}` || host === `[::1]:${p}`;
    if (!allowed) return c.json(errorBody('forbidden', `Host '${host.slice(0, 100)}' is not allowed; use 127.0.0.1:${p}`), 403);
    await next();
  };
}

const CORS_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const CORS_HEADERS = 'Authorization, Content-Type, Last-Event-ID';

/**
 * `allowedOrigins`: paired extension origins (state) plus configured ones. `pairingPaths`
 * answer any `chrome-extension://` origin, since an extension must reach them before it is
 * paired (extension/PAIRING.md); web origins never get in anywhere.
 */
export function originGuard(allowedOrigins: () => readonly string[], pairingPaths: ReadonlySet<string> = new Set()): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    const isExtension = /^chrome-extension:\/\/[a-p]{32}$/.test(origin);
    const allowed = isExtension && (allowedOrigins().includes(origin) || pairingPaths.has(c.req.path));
    if (!allowed) return c.json(errorBody('forbidden', 'this origin is not a paired Shipshape extension'), 403);
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', CORS_METHODS);
      c.header('Access-Control-Allow-Headers', CORS_HEADERS);
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  };
}

/** Routes that answer without a token: the minimal health check, and the two pairing steps. */
export const publicRoutes: ReadonlySet<string> = new Set(['GET /api/health', 'POST /api/pair/request', 'POST /api/pair/status']);

export function tokenGuard(verify: (token: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (publicRoutes.has(`${c.req.method} ${c.req.path}`)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,512})$/.exec(header);
    if (!match || !verify(match[1]!)) {
      c.header('WWW-Authenticate', 'Bearer realm="shipshape"');
      return c.json(errorBody('unauthorized', header ? 'invalid token' : 'missing token: send Authorization: Bearer <token>'), 401);
    }
    await next();
  };
}
