import { describe, expect, it } from 'vitest';
import { dockerFailure, isLostConnection } from './docker-failure.ts';

describe('dockerFailure', () => {
  it('says Docker is unavailable when the connection is gone', () => {
    expect(dockerFailure('docker save', new Error('socket hang up')).message).toBe('Docker unavailable: docker save: the daemon closed the connection mid-stream (socket hang up); retry the scan once Docker is back');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), { code: 'ECONNREFUSED' });
    expect(dockerFailure('docker inspect', refused).message).toMatch(/^Docker unavailable: docker inspect: connect ECONNREFUSED .*is dockerd running\?/);
  });

  it('keeps the daemon words for an API error answer', () => {
    const answer = Object.assign(new Error('(HTTP code 500) server error - open /x: no such file or directory'), { statusCode: 500 });
    expect(dockerFailure('docker save', answer).message).toBe('docker save failed: open /x: no such file or directory');
  });

  it('recognises an export stream cut mid-way', () => {
    expect(isLostConnection(new Error('aborted'))).toBe(true);
    expect(isLostConnection(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isLostConnection(new Error('invalid tar header'))).toBe(false);
  });
});
