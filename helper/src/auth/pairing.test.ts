import { describe, expect, it } from 'vitest';
import { Pairing } from './pairing.ts';

const extension = `chrome-extension://${'b'.repeat(32)}`;

function pairing(now = { t: 0 }) {
  const approved: string[] = [];
  const logs: string[] = [];
  const p = new Pairing({ token: () => 'the-token', onApproved: (o) => approved.push(o), log: (l) => logs.push(l), now: () => now.t });
  return { p, approved, logs, now };
}

describe('Pairing', () => {
  it('hands the token once, to the origin that asked, after approval', () => {
    const { p, approved, logs } = pairing();
    const { requestId, code } = p.request(extension, 'Shipshape extension 0.1.0');
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(logs[0]).toContain(`shipshape pair ${code}`);
    expect(p.status(requestId, extension)).toEqual({ state: 'pending' });
    expect(() => p.status(requestId, `chrome-extension://${'c'.repeat(32)}`)).toThrow(/no such pairing request/);
    expect(p.approve(`${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`, false)).toEqual({ origin: extension, state: 'approved' });
    expect(approved).toEqual([extension]);
    expect(p.status(requestId, extension)).toEqual({ state: 'approved', token: 'the-token' });
    expect(p.status(requestId, extension)).toEqual({ state: 'expired' }); // handed over once
  });

  it('reports a rejection, and refuses unknown codes', () => {
    const { p, approved } = pairing();
    const { requestId, code } = p.request(extension, 'x');
    expect(() => p.approve('ZZZZZZ', false)).toThrow(/no pending pairing request/);
    expect(p.approve(code, true).state).toBe('rejected');
    expect(approved).toEqual([]);
    expect(p.status(requestId, extension)).toEqual({ state: 'rejected' });
  });

  it('expires requests after 5 minutes', () => {
    const { p, now } = pairing();
    const { requestId, code } = p.request(extension, 'x');
    now.t += 5 * 60_000;
    expect(p.status(requestId, extension)).toEqual({ state: 'expired' });
    expect(() => p.approve(code, false)).toThrow(/no pending/);
  });

  it('limits pending requests to 5 and new ones to 10 a minute', () => {
    const { p, now } = pairing();
    const first = Array.from({ length: 5 }, () => p.request(extension, 'x'));
    expect(() => p.request(extension, 'x')).toThrow(/waiting for approval/);
    for (const { code } of first) p.approve(code, true); // no longer pending
    for (let i = 0; i < 5; i++) p.approve(p.request(extension, 'x').code, true);
    expect(() => p.request(extension, 'x')).toThrow(/last minute/);
    now.t += 61_000;
    expect(p.request(extension, 'x').code).toHaveLength(6);
  });
});
