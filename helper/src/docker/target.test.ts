import { describe, expect, it } from 'vitest';
import { describeTarget, isLocalTarget, isLoopbackHost, parseDockerHost, parseEngineUrl, requireSafeTransport } from './target.ts';

describe('parseEngineUrl', () => {
  it('reads unix://, tcp:// (TLS with a folder), https:// and ssh:// forms', () => {
    expect(parseEngineUrl('unix:///run/user/1000/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(parseEngineUrl('tcp://10.0.0.5:2375')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375, tlsDir: null });
    expect(parseEngineUrl('tcp://docker', { tlsDir: '/certs' })).toEqual({ kind: 'tcp', host: 'docker', port: 2376, tlsDir: '/certs' });
    expect(parseEngineUrl('tcp://[::1]:2375')).toMatchObject({ host: '::1', port: 2375 });
    expect(parseEngineUrl('ssh://me@build.example')).toEqual({ kind: 'ssh', host: 'build.example', port: 22, user: 'me', keyFile: null });
    expect(parseEngineUrl('ssh://build:2222', { keyFile: '/k' })).toEqual({ kind: 'ssh', host: 'build', port: 2222, user: null, keyFile: '/k' });
  });

  it('refuses what it cannot use, with the value in the message', () => {
    expect(() => parseEngineUrl('tcp://host:port')).toThrow(/tcp:\/\/host:port/);
    expect(() => parseEngineUrl('unix://relative.sock')).toThrow(/absolute/);
    expect(() => parseEngineUrl('tcp://h:70000')).toThrow(/1-65535/);
    expect(() => parseEngineUrl('https://h:2376')).toThrow(/TLS folder/);
    expect(() => parseEngineUrl('ssh://h', { tlsDir: '/c' })).toThrow(/key=FILE/);
    expect(() => parseEngineUrl('tcp://h', { keyFile: '/k' })).toThrow(/key= is for ssh/);
    expect(() => parseEngineUrl('ftp://h')).toThrow();
  });
});

describe('DOCKER_HOST', () => {
  it('defaults to the standard socket; DOCKER_CERT_PATH, or ~/.docker with DOCKER_TLS_VERIFY, give tcp:// its TLS folder', () => {
    expect(parseDockerHost(undefined, {})).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseDockerHost('tcp://h:2376', { DOCKER_CERT_PATH: '/c' })).toMatchObject({ tlsDir: '/c' });
    expect(parseDockerHost('tcp://h:2376', { DOCKER_TLS_VERIFY: '1', HOME: '/home/u' })).toMatchObject({ tlsDir: '/home/u/.docker' });
    expect(parseDockerHost('tcp://h:2375', {})).toMatchObject({ tlsDir: null });
    expect(() => parseDockerHost('nonsense', {})).toThrow(/^DOCKER_HOST /);
  });
});

describe('transport rule', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['10.0.0.5', '128.0.0.1', 'docker', 'localhost.example.com', '::2', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses plain tcp:// off loopback with what to do instead; TLS, ssh and sockets pass', () => {
    expect(() => requireSafeTransport(parseEngineUrl('tcp://10.0.0.5:2375'))).toThrow(/plain tcp:\/\/10\.0\.0\.5:2375 .*unencrypted.*tls=DIR.*ssh:\/\//);
    expect(() => requireSafeTransport(parseEngineUrl('tcp://127.0.0.1:2375'))).not.toThrow();
    expect(() => requireSafeTransport(parseEngineUrl('tcp://10.0.0.5:2376', { tlsDir: '/c' }))).not.toThrow();
    expect(() => requireSafeTransport(parseEngineUrl('ssh://u@10.0.0.5'))).not.toThrow();
    expect(() => requireSafeTransport(parseEngineUrl('unix:///x.sock'))).not.toThrow();
  });

  it('describes an endpoint without key paths, and says which engines are on this machine', () => {
    expect(describeTarget(parseEngineUrl('tcp://10.0.0.5:2376', { tlsDir: '/secret/certs' }))).toBe('tcp://10.0.0.5:2376');
    expect(describeTarget(parseEngineUrl('ssh://me@h:2222', { keyFile: '/secret/key' }))).toBe('ssh://me@h:2222');
    expect(describeTarget(parseEngineUrl('tcp://[::1]:2375'))).toBe('tcp://[::1]:2375');
    expect(isLocalTarget(parseEngineUrl('unix:///x.sock'))).toBe(true);
    expect(isLocalTarget(parseEngineUrl('tcp://127.0.0.1:2375'))).toBe(true);
    expect(isLocalTarget(parseEngineUrl('tcp://10.0.0.5:2376', { tlsDir: '/c' }))).toBe(false);
  });
});
