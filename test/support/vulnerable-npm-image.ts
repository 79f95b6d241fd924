/**
 * A small image with known-vulnerable npm packages (advisories in test/fixtures/advisories'
 * GHSA sample) and a leaked private key, generated and `docker load`ed (no registry needed):
 *   lodash 4.17.15 ... GHSA-35jh-r3h4-6jhm (CVE-2021-23337), high, fixed in 4.17.21
 *   ip 1.1.8 ......... GHSA-78xj-cgh5-2h22 (CVE-2023-42282), high, no fix yet
 *   axios 0.21.1 ..... GHSA-wf5p-g6vw-rhxx, medium, fixed in 1.6.0
 *   /root/.ssh/id_rsa  a private key (a secret finding)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { docker, loadImageArchive } from './docker.ts';

export const NPM_IMAGE_PREFIX = 'shipshape-test/vulnerable-npm';

const packages: Record<string, string> = { lodash: '4.17.15', ip: '1.1.8', axios: '0.21.1' };

/** Built from pieces so no secret scanner flags this source file itself. */
export const privateKey = [
  '-----BEGIN RSA PRIVATE ' + 'KEY-----',
  'MIIEowIBAAKCAQEAv0dQWzOj3JkR8q9eN2VYt3bC6mM3s1rE8mTqZy1dJ8n0wXQe',
  'r7Zk2bW4vYp9c3n5XhK1uLmF0gT6aS8dQ2jH4kN7pV1xZ3cB9eR5tY0uI8oP6lK2',
  '-----END RSA PRIVATE ' + 'KEY-----',
  '',
].join('\n');

/**
 * Loads `<prefix>:<tag>` (a `marker` file makes images with the same findings distinct); returns
 * its ID. `keyOnly`: the leaked key and no packages (an image whose only finding is the secret).
 */
export async function ensureVulnerableNpmImage(tag: string, options: { marker?: string; keyOnly?: boolean } = {}): Promise<string> {
  const marker = options.marker ?? tag;
  const work = await mkdtemp(join(tmpdir(), 'shipshape-npm-image-'));
  try {
    const archive = join(work, 'image.tar');
    const modules = Object.entries(packages).map(([name, version]) => ({ path: `/app/node_modules/${name}/package.json`, content: JSON.stringify({ name, version, main: 'index.js' }) }));
    await writeImageArchive(
      {
        tags: [`${NPM_IMAGE_PREFIX}:${tag}`],
        compression: 'gzip',
        layers: [
          ...(options.keyOnly ? [] : [{ createdBy: 'COPY app/ /app/ # buildkit', files: [{ path: '/app/package.json', content: JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: packages }) }, ...modules] }]),
          { createdBy: 'COPY deploy/id_rsa /root/.ssh/id_rsa # buildkit', files: [{ path: '/root/.ssh/id_rsa', content: privateKey, mode: 0o600 }] },
          { createdBy: 'COPY marker /etc/marker # buildkit', files: [{ path: '/etc/marker', content: `${marker}\n` }] },
        ],
        config: { Cmd: ['node', '/app/index.js'], WorkingDir: '/app' },
      },
      archive,
    );
    await loadImageArchive(archive);
    return (await docker.getImage(`${NPM_IMAGE_PREFIX}:${tag}`).inspect()).Id;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
