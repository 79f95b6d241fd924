import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listContexts, resolveContext } from './contexts.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A Docker config folder laid out as `docker context create` writes it. */
async function dockerConfig(contexts: Array<{ name: string; host: string; description?: string; tls?: boolean }>, current?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  dirs.push(dir);
  for (const c of contexts) {
    const id = createHash('sha256').update(c.name).digest('hex');
    await mkdir(join(dir, 'contexts', 'meta', id), { recursive: true });
    await writeFile(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: c.name, Metadata: { Description: c.description ?? '' }, Endpoints: { docker: { Host: c.host, SkipTLSVerify: false } } }));
    if (c.tls) {
      await mkdir(join(dir, 'contexts', 'tls', id, 'docker'), { recursive: true });
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(join(dir, 'contexts', 'tls', id, 'docker', f), '-----BEGIN X-----\n');
    }
  }
  if (current) await writeFile(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
  return { DOCKER_CONFIG: dir };
}

describe('Docker contexts', () => {
  it('lists contexts as docker context ls does (without default), with TLS folders and the current one', async () => {
    const env = await dockerConfig(
      [
        { name: 'staging', host: 'tcp://10.1.2.3:2376', description: 'the staging host', tls: true },
        { name: 'build-box', host: 'ssh://ci@build.example' },
      ],
      'staging',
    );
    expect(listContexts(env)).toEqual([
      { name: 'build-box', description: '', host: 'ssh://ci@build.example', tlsDir: null, current: false },
      { name: 'staging', description: 'the staging host', host: 'tcp://10.1.2.3:2376', tlsDir: expect.stringMatching(/contexts\/tls\/[0-9a-f]{64}\/docker$/), current: true },
    ]);
    expect(resolveContext('staging', env).target).toMatchObject({ kind: 'tcp', host: '10.1.2.3', port: 2376, tlsDir: expect.stringContaining('/contexts/tls/') });
    expect(resolveContext('build-box', env).target).toEqual({ kind: 'ssh', host: 'build.example', port: 22, user: 'ci', keyFile: null });
  });

  it('names the contexts there are when asked for an unknown one; no folder means none', async () => {
    const env = await dockerConfig([{ name: 'staging', host: 'tcp://10.1.2.3:2376', tls: true }]);
    expect(() => resolveContext('prod', env)).toThrow(/no Docker context named 'prod' .*there are: staging/);
    expect(listContexts({ DOCKER_CONFIG: '/nonexistent' })).toEqual([]);
    expect(() => resolveContext('prod', { DOCKER_CONFIG: '/nonexistent' })).toThrow(/there are none/);
  });

  it('says what is wrong with a damaged context instead of guessing', async () => {
    const env = await dockerConfig([{ name: 'odd', host: '' }]);
    expect(listContexts(env)).toEqual([]);
    expect(() => resolveContext('odd', env)).toThrow(/'odd' has no docker endpoint/);
  });
});
