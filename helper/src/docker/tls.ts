/**
 * TLS client material for tcp:// engines from a folder in Docker's own layout (ca.pem,
 * cert.pem, key.pem: what DOCKER_CERT_PATH and `docker context` use). Read from disk when a
 * client is made; the helper keeps only the folder's path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineConfigError } from './target.ts';

export type TlsMaterial = { ca: Buffer; cert: Buffer; key: Buffer };

export const TLS_FILES = ['ca.pem', 'cert.pem', 'key.pem'] as const;

export function readTlsFolder(dir: string): TlsMaterial {
  const [ca, cert, key] = TLS_FILES.map((name) => readPem(dir, name)) as [Buffer, Buffer, Buffer];
  return { ca, cert, key };
}

function readPem(dir: string, name: string): Buffer {
  const path = join(dir, name);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new EngineConfigError(`TLS folder ${dir} has no ${name} (it needs ca.pem, cert.pem and key.pem, as DOCKER_CERT_PATH)`, 'tls');
    }
    throw new EngineConfigError(`cannot read ${path}: ${code === 'EACCES' ? 'permission denied (the helper runs as this user)' : (error as Error).message}`, 'tls');
  }
  if (!data.includes('-----BEGIN ')) throw new EngineConfigError(`${path} is not a PEM file`, 'tls');
  return data;
}
