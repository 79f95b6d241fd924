import { describe, expect, it } from 'vitest';
import { parseDockerHost } from './client.ts';

describe('parseDockerHost', () => {
  it('defaults to the standard unix socket', () => {
    expect(parseDockerHost(undefined)).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });
  it('reads unix:// and tcp:// forms', () => {
    expect(parseDockerHost('unix:///run/user/1000/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(parseDockerHost('tcp://10.0.0.5:2375')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375, protocol: 'http' });
    expect(parseDockerHost('tcp://docker')).toMatchObject({ host: 'docker', port: 2375 });
    expect(parseDockerHost('https://docker:2376')).toMatchObject({ protocol: 'https', port: 2376 });
    expect(parseDockerHost('tcp://[::1]:2375')).toMatchObject({ host: '::1', port: 2375 });
  });
  it('rejects what it cannot use, with the value in the message', () => {
    expect(() => parseDockerHost('ssh://me@host')).toThrow(/ssh:\/\/me@host/);
    expect(() => parseDockerHost('tcp://host:port')).toThrow();
  });
});
