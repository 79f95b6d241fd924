import { describe, expect, it } from 'vitest';
import { apiClamdProblem } from './clamd-policy.ts';

describe('clamd addresses the API may set', () => {
  it('accepts unix sockets and loopback addresses', () => {
    for (const ok of ['/run/clamav/clamd.ctl', 'unix:///tmp/c.sock', '127.0.0.1:3310', 'tcp://127.8.9.1:3310', 'localhost:3310', '[::1]:3310', '[::ffff:127.0.0.1]:3310']) {
      expect(apiClamdProblem(ok), ok).toBeNull();
    }
  });
  it('refuses any other host, naming the command line as the way to set one', () => {
    for (const bad of ['10.0.0.5:3310', 'clamd.example.com:3310', '[2001:db8::1]:3310', '0.0.0.0:3310', '127.0.0.1.nip.io:3310']) {
      expect(apiClamdProblem(bad), bad).toMatch(/not a unix socket or a loopback address.*serve --clamd/);
    }
    expect(apiClamdProblem('nonsense')).toMatch(/invalid clamd address/);
  });
});
