import type { ApiError, PairRequestAnswer, PairStatusAnswer } from '@shipshape/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.ts';

let current: Awaited<ReturnType<typeof testApp>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

const extension = `chrome-extension://${'d'.repeat(32)}`;
const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

describe('pairing routes', () => {
  it('runs the whole flow: request without a token, approve with it, the extension collects the token and gets in', async () => {
    const t = (current = await testApp());
    const noToken = { authorization: '', origin: extension };
    const requested = await t.json<PairRequestAnswer>('/api/pair/request', post({ client: 'test' }, noToken));
    expect(requested.status).toBe(201);
    expect((await t.json<PairStatusAnswer>('/api/pair/status', post({ requestId: requested.body.requestId }, noToken))).body).toEqual({ state: 'pending' });
    expect((await t.request('/api/dashboard', { headers: { origin: extension } })).status).toBe(403); // not paired yet

    const approved = await t.json('/api/pair/approve', post({ code: requested.body.code }));
    expect(approved.body).toEqual({ origin: extension, state: 'approved' });
    const status = await t.json<PairStatusAnswer>('/api/pair/status', post({ requestId: requested.body.requestId }, noToken));
    expect(status.body).toMatchObject({ state: 'approved', token: expect.any(String) });
    expect((await t.request('/api/dashboard', { headers: { origin: extension } })).status).toBe(200);
  });

  it('refuses pairing without an extension Origin, approval without the token, and bad bodies', async () => {
    const t = (current = await testApp());
    expect((await t.json<ApiError>('/api/pair/request', post({}, { authorization: '' }))).status).toBe(403);
    expect((await t.json<ApiError>('/api/pair/request', post({}, { authorization: '', origin: 'https://evil.example' }))).status).toBe(403);
    expect((await t.json<ApiError>('/api/pair/approve', post({ code: 'ABCDEF' }, { authorization: '' }))).status).toBe(401);
    const badCode = await t.json<ApiError>('/api/pair/approve', post({ code: '!!' }));
    expect(badCode).toMatchObject({ status: 400, body: { error: { field: 'code' } } });
    const badId = await t.json<ApiError>('/api/pair/status', post({ requestId: '../x' }, { authorization: '', origin: extension }));
    expect(badId).toMatchObject({ status: 400, body: { error: { field: 'requestId' } } });
    const notJson = await t.request('/api/pair/status', { method: 'POST', body: '{nope', headers: { authorization: '', origin: extension } });
    expect(notJson.status).toBe(400);
    const empty = await t.json<PairRequestAnswer>('/api/pair/request', { method: 'POST', headers: { authorization: '', origin: extension } });
    expect(empty.status).toBe(201);
  });

  it('rate-limits requests with 429', async () => {
    const t = (current = await testApp());
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.request('/api/pair/request', post({}, { authorization: '', origin: extension }))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });
});
