/**
 * Keeping people out, against the real helper process: bad input, missing and wrong tokens,
 * a foreign Host (DNS rebinding), a foreign Origin, token rotation. After every refusal the
 * helper still serves.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/docker.ts';
import { startHelper, type HelperProcess } from '../support/helper-process.ts';

const run = promisify(execFile);
let helper: HelperProcess;
let refused = 0;

type Raw = { status: number; body: { error?: { code: string; message: string; field?: string } }; headers: Record<string, string | string[] | undefined> };

/** node:http rather than fetch: fetch will not send a forged Host header. */
function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: helper.port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        req.destroy(); // keep-alive requests (see below) leave the socket open
        let parsed: Raw['body'] = {};
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          parsed = { error: { code: 'not-json', message: text } };
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ authorization: `Bearer ${helper.token}`, host: `127.0.0.1:${helper.port}` });

async function expectRefused(path: string, headers: Record<string, string>, status: number, code: string, field?: string) {
  const answer = await raw(path, headers);
  expect(answer.status, path).toBe(status);
  expect(answer.body.error?.code).toBe(code);
  if (field) expect(answer.body.error?.field).toBe(field);
  expect(JSON.stringify(answer.body)).not.toMatch(/\s+at\s+\S+\s+\(|node_modules|\.ts:\d+/); // never a stack trace
  refused++;
  // ...and the helper keeps serving.
  expect((await raw('/api/images?limit=1', auth())).status).toBe(200);
}

beforeAll(async () => {
  helper = await startHelper();
});
afterAll(async () => {
  await helper?.stop();
  process.stdout.write(`helper-security: ${refused} hostile or malformed requests refused\n`);
});

describe('bad input gets 400 naming the field', () => {
  it.each([
    ['/api/images?scanStatus=bogus', 'scanStatus'],
    ['/api/images?securityStatus=evil', 'securityStatus'],
    ['/api/images?highPriority=maybe', 'highPriority'],
    ['/api/images?sort=colour', 'sort'],
    ['/api/images?order=sideways', 'order'],
    ['/api/images?limit=100000', 'limit'],
    ['/api/images?limit=0', 'limit'],
    ['/api/images?limit=abc', 'limit'],
    ['/api/images?offset=-1', 'offset'],
    ['/api/images?colour=red', 'colour'],
    ['/api/images?limit=1&limit=2', 'limit'],
    [`/api/images?q=${'x'.repeat(300)}`, 'q'],
    ['/api/images/..%2F..%2Fetc%2Fpasswd', 'id'],
    ['/api/images/zzzz', 'id'],
    ['/api/images/abc', 'id'],
    [`/api/images/${'a'.repeat(65)}`, 'id'],
    ['/api/images/sha256:xyz', 'id'],
    ['/api/images/abcd/containers?status=sleeping', 'status'],
  ])('%s', async (path, field) => {
    await expectRefused(path, auth(), 400, 'bad_request', field);
  });

  it('an unknown image is 404, an unknown route 404', async () => {
    await expectRefused(`/api/images/${'f'.repeat(64)}`, auth(), 404, 'not_found');
    await expectRefused('/api/nothing-here', auth(), 404, 'not_found');
  });

  it('an oversized body is refused with 413', async () => {
    // Keep-alive, as browsers send: with `Connection: close` the server closes once it has
    // answered, and the client, still writing, may see a reset that discards the 413.
    const headers = { ...auth(), connection: 'keep-alive', 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) };
    const answer = await raw('/api/images', headers, 'POST', 'x'.repeat(2 * 1024 * 1024));
    expect(answer.status).toBe(413);
    refused++;
  });
});

describe('tokens', () => {
  it('a missing, malformed or wrong token is 401 on every route but health', async () => {
    const host = { host: `127.0.0.1:${helper.port}` };
    for (const path of ['/api/images', '/api/images/abcd', '/api/servers', '/api/dashboard', '/api/images/abcd/containers']) {
      await expectRefused(path, host, 401, 'unauthorized');
      await expectRefused(path, { ...host, authorization: 'Bearer wrong-token' }, 401, 'unauthorized');
      await expectRefused(path, { ...host, authorization: `Basic ${helper.token}` }, 401, 'unauthorized');
      await expectRefused(path, { ...host, authorization: `Bearer ${helper.token}x` }, 401, 'unauthorized');
    }
    expect((await raw('/api/health', host)).status).toBe(200);
  });

  it('the token file is private (0600) in a private data dir', async () => {
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(helper.dataDir, 'token'))).mode & 0o777).toBe(0o600);
    expect((await stat(helper.dataDir)).mode & 0o077).toBe(0);
  });

  it('`shipshape token --rotate` ends the old token at once, without a restart', async () => {
    const printed = await run(join(process.cwd(), 'node_modules/.bin/tsx'), ['helper/src/cli/main.ts', 'token', '--data-dir', helper.dataDir]);
    expect(printed.stdout.trim()).toBe(helper.token);
    const rotated = await run(join(process.cwd(), 'node_modules/.bin/tsx'), ['helper/src/cli/main.ts', 'token', '--rotate', '--data-dir', helper.dataDir]);
    const fresh = rotated.stdout.trim();
    expect(fresh).not.toBe(helper.token);
    const old = helper.token;
    helper.token = fresh;
    // The helper checks the token file on every request: the switch is immediate.
    await expectRefused('/api/dashboard', { host: `127.0.0.1:${helper.port}`, authorization: `Bearer ${old}` }, 401, 'unauthorized');
    expect((await raw('/api/dashboard', auth())).status).toBe(200);
  });
});

describe('DNS rebinding and cross-site requests', () => {
  it('refuses a Host other than 127.0.0.1, localhost or [::1] with the port', async () => {
    for (const host of ['evil.example:' + 0, 'evil.example', '127.0.0.1', `127.0.0.1:${1}`, `attacker.localhost:0`, `localhost.evil.example`]) {
      await expectRefused('/api/health', { ...auth(), host: host.replace(':0', `:${helper.port}`) }, 403, 'forbidden');
    }
    for (const host of [`localhost:${helper.port}`, `[::1]:${helper.port}`]) {
      expect((await raw('/api/dashboard', { ...auth(), host })).status).toBe(200);
    }
  });

  it('refuses a web Origin, an unpaired extension, and answers no CORS to them', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${helper.port}`, `chrome-extension://${'a'.repeat(32)}`, 'chrome-extension://not-an-id']) {
      await expectRefused('/api/images', { ...auth(), origin }, 403, 'forbidden');
      const preflight = await raw('/api/images', { host: `127.0.0.1:${helper.port}`, origin, 'access-control-request-method': 'GET' }, 'OPTIONS');
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('pairing the extension', () => {
  it('request → `shipshape pair CODE` → the extension collects the token once and is admitted with CORS', async () => {
    const extension = `chrome-extension://${'e'.repeat(32)}`;
    const host = { host: `127.0.0.1:${helper.port}`, 'content-type': 'application/json' };
    const requested = await raw('/api/pair/request', { ...host, origin: extension }, 'POST', JSON.stringify({ client: 'integration test' }));
    expect(requested.status).toBe(201);
    const { requestId, code } = requested.body as unknown as { requestId: string; code: string };
    await expectRefused('/api/images', { ...auth(), origin: extension }, 403, 'forbidden'); // not yet

    const cli = await run(join(process.cwd(), 'node_modules/.bin/tsx'), ['helper/src/cli/main.ts', 'pair', code, '--port', String(helper.port), '--data-dir', helper.dataDir]);
    expect(cli.stdout).toContain(`Paired: ${extension}`);
    const status = await raw('/api/pair/status', { ...host, origin: extension }, 'POST', JSON.stringify({ requestId }));
    expect(status.body).toEqual({ state: 'approved', token: helper.token });
    const again = await raw('/api/pair/status', { ...host, origin: extension }, 'POST', JSON.stringify({ requestId }));
    expect(again.body).toEqual({ state: 'expired' });

    const admitted = await raw('/api/images?limit=1', { ...auth(), origin: extension });
    expect(admitted.status).toBe(200);
    expect(admitted.headers['access-control-allow-origin']).toBe(extension);
    const { readFile } = await import('node:fs/promises');
    await waitFor(async () => JSON.parse(await readFile(join(helper.dataDir, 'state.json'), 'utf8')).pairedOrigins?.[0] === extension, 2000);
    // Another extension is still refused; a web page too.
    await expectRefused('/api/images', { ...auth(), origin: `chrome-extension://${'f'.repeat(32)}` }, 403, 'forbidden');
  });
});
