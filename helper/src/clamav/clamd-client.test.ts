import { describe, expect, it } from 'vitest';
import { ClamdError, parseClamdAddress, parseScanReply } from './clamd-client.ts';

describe('clamd addresses and replies', () => {
  it('parses socket paths and TCP addresses', () => {
    expect(parseClamdAddress('/run/clamav/clamd.ctl')).toEqual({ socketPath: '/run/clamav/clamd.ctl' });
    expect(parseClamdAddress('unix:///tmp/c.sock')).toEqual({ socketPath: '/tmp/c.sock' });
    expect(parseClamdAddress('tcp://127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(parseClamdAddress('clamav:3310')).toEqual({ host: 'clamav', port: 3310 });
    expect(parseClamdAddress('[::1]:3310')).toEqual({ host: '::1', port: 3310 });
    for (const bad of ['', 'clamav', 'host:99999', 'http://x:1/']) expect(() => parseClamdAddress(bad), bad).toThrow(/invalid clamd address/);
  });
  it('parses INSTREAM replies; errors throw', () => {
    expect(parseScanReply('stream: OK')).toEqual({ infected: false, signature: null });
    expect(parseScanReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({ infected: true, signature: 'Win.Test.EICAR_HDB-1' });
    expect(() => parseScanReply('INSTREAM size limit exceeded. ERROR')).toThrow(ClamdError);
    expect(() => parseScanReply('')).toThrow(/empty reply/);
  });
});
