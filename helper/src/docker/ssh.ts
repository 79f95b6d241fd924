/**
 * ssh:// engines: how the helper authenticates and which host it trusts. Keys stay files: a
 * key given with the engine, else the SSH agent (SSH_AUTH_SOCK), else the first of
 * ~/.ssh/id_ed25519, id_ecdsa, id_rsa. The host key is pinned on first contact (as
 * `StrictHostKeyChecking=accept-new`): a later change refuses the connection.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectConfig } from 'ssh2';
import { EngineConfigError, type DockerTarget } from './target.ts';

type SshTarget = Extract<DockerTarget, { kind: 'ssh' }>;

/** Host keys the helper trusts, by `host:port` (persisted in the state). */
export interface HostKeyStore {
  get(hostPort: string): string | undefined;
  /** First contact: remember this key. */
  remember(hostPort: string, fingerprint: string): void;
}

/** OpenSSH's form: SHA256: and the unpadded base64 of the key blob's digest. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export const hostPortOf = (target: SshTarget) => `${target.host}:${target.port}`;

export class HostKeyMismatchError extends Error {}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function sshConnectConfig(target: SshTarget, hostKeys: HostKeyStore, env: NodeJS.ProcessEnv = process.env): ConnectConfig {
  const hostPort = hostPortOf(target);
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user ?? env.USER ?? env.LOGNAME ?? 'root',
    readyTimeout: 10_000,
    keepaliveInterval: 15_000,
    hostVerifier: (key: Buffer) => {
      const seen = fingerprint(key);
      const pinned = hostKeys.get(hostPort);
      if (!pinned) {
        hostKeys.remember(hostPort, seen);
        return true;
      }
      return pinned === seen;
    },
  };
  if (target.keyFile) config.privateKey = readKey(target.keyFile);
  else if (env.SSH_AUTH_SOCK) config.agent = env.SSH_AUTH_SOCK;
  else {
    const home = env.HOME?.trim() || homedir();
    const found = DEFAULT_KEYS.map((name) => join(home, '.ssh', name)).find((path) => existsSync(path));
    if (!found) throw new EngineConfigError(`no SSH key for ${hostPort}: give key=FILE, run an ssh-agent (SSH_AUTH_SOCK), or create ~/.ssh/id_ed25519`, 'sshKey');
    config.privateKey = readKey(found);
  }
  return config;
}

function readKey(path: string): Buffer {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (error) {
    throw new EngineConfigError(`cannot read the SSH key ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'sshKey');
  }
  if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(key.toString('latin1', 0, 400)) || isEncryptedOpenSshKey(key)) {
    throw new EngineConfigError(`the SSH key ${path} is protected by a passphrase: load it into ssh-agent (SSH_AUTH_SOCK) instead`, 'sshKey');
  }
  return key;
}

/** New-format OpenSSH keys name their cipher inside the base64 body ("none" when unencrypted). */
function isEncryptedOpenSshKey(key: Buffer): boolean {
  const text = key.toString('utf8');
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END/.exec(text)?.[1];
  if (!body) return false;
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  // "openssh-key-v1\0", then a length-prefixed cipher name.
  const magic = 'openssh-key-v1\0';
  if (raw.toString('latin1', 0, magic.length) !== magic) return false;
  const length = raw.readUInt32BE(magic.length);
  return raw.toString('latin1', magic.length + 4, magic.length + 4 + length) !== 'none';
}
