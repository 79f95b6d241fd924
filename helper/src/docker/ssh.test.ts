import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, sshConnectConfig, type HostKeyStore } from './ssh.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-keys-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'plain')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', join(dir, 'locked')]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const target = (keyFile: string | null) => ({ kind: 'ssh' as const, host: 'build', port: 22, user: 'ci', keyFile });
const memoryKeys = (): HostKeyStore & { keys: Map<string, string> } => {
  const keys = new Map<string, string>();
  return { keys, get: (k) => keys.get(k), remember: (k, v) => void keys.set(k, v) };
};

describe('ssh connection settings', () => {
  it('prints fingerprints as ssh-keygen -l does', async () => {
    const blob = Buffer.from((await readFile(join(dir, 'plain.pub'), 'utf8')).split(' ')[1]!, 'base64');
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'plain.pub')]).toString().split(' ')[1];
    expect(fingerprint(blob)).toBe(expected);
  });

  it('pins the host key on first contact and refuses another one later', () => {
    const keys = memoryKeys();
    const config = sshConnectConfig(target(join(dir, 'plain')), keys, {});
    const verify = config.hostVerifier as (key: Buffer) => boolean;
    expect(verify(Buffer.from('host key one'))).toBe(true);
    expect(keys.keys.get('build:22')).toBe(fingerprint(Buffer.from('host key one')));
    expect(verify(Buffer.from('host key one'))).toBe(true);
    expect(verify(Buffer.from('host key two'))).toBe(false);
    expect(config).toMatchObject({ host: 'build', port: 22, username: 'ci' });
  });

  it('uses the given key, else the agent, else ~/.ssh; a passphrase-protected key is refused with what to do', () => {
    expect(sshConnectConfig(target(join(dir, 'plain')), memoryKeys(), {}).privateKey).toBeInstanceOf(Buffer);
    expect(sshConnectConfig(target(null), memoryKeys(), { SSH_AUTH_SOCK: '/run/agent.sock' }).agent).toBe('/run/agent.sock');
    expect(() => sshConnectConfig(target(join(dir, 'locked')), memoryKeys(), {})).toThrow(/passphrase.*ssh-agent/);
    expect(() => sshConnectConfig(target(null), memoryKeys(), { HOME: dir })).toThrow(/no SSH key for build:22/);
    expect(() => sshConnectConfig(target(join(dir, 'missing')), memoryKeys(), {})).toThrow(/no such file/);
  });
});
