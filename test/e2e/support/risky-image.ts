/**
 * The images the end-to-end suite scans, generated (no registry needed) and loaded into the
 * real daemon: `risky` has a known-vulnerable npm package (lodash 4.17.15, GHSA records in
 * test/fixtures/advisories), a leaked private key and the EICAR test file, each added by its
 * own build step; `clean` has none of these.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eicar } from '@shipshape/analyzers/malware/test-files.ts';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { docker, loadImageArchive } from '../../support/docker.ts';

export const E2E_PREFIX = 'shipshape-test/extension-e2e';
export const RISKY_TAG = `${E2E_PREFIX}:risky`;
export const CLEAN_TAG = `${E2E_PREFIX}:clean`;

/** Built from pieces so no scanner flags this source file itself. */
export const privateKeyPem = [
  '-----BEGIN RSA PRIVATE ' + 'KEY-----',
  'MIIEowIBAAKCAQEAv0dQWzOj3JkR8q9eN2VYt3bC6mM3s1rE8mTqZy1dJ8n0wXQe',
  'r7Zk2bW4vYp9c3n5XhK1uLmF0gT6aS8dQ2jH4kN7pV1xZ3cB9eR5tY0uI8oP6lK2',
  'mJ4nH7gF1dS3aQ9wE5rT2yU8iO0pL6kJ4hG1fD3sA9zX7cV5bN2mQ8wE4rT6yU0',
  '-----END RSA PRIVATE ' + 'KEY-----',
  '',
].join('\n');

const lodash = JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT', main: 'lodash.js' });
const appPackage = JSON.stringify({ name: 'risky-app', version: '1.0.0', private: true, dependencies: { lodash: '4.17.15' } });

export async function ensureE2eImages(): Promise<{ risky: string; clean: string }> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-e2e-images-'));
  try {
    const risky = join(work, 'risky.tar');
    await writeImageArchive(
      {
        tags: [RISKY_TAG],
        compression: 'gzip',
        layers: [
          {
            createdBy: 'COPY app/ /app/ # buildkit',
            files: [
              { path: '/app/package.json', content: appPackage },
              { path: '/app/node_modules/lodash/package.json', content: lodash },
              { path: '/app/node_modules/lodash/lodash.js', content: 'module.exports = {};\n' },
            ],
          },
          { createdBy: 'COPY deploy/id_rsa /root/.ssh/id_rsa # buildkit', files: [{ path: '/root/.ssh/id_rsa', content: privateKeyPem, mode: 0o600 }] },
          { createdBy: 'COPY tools/eicar.com /opt/tools/eicar.com # buildkit', files: [{ path: '/opt/tools/eicar.com', content: eicar() }] },
        ],
        config: { Cmd: ['node', '/app/index.js'], WorkingDir: '/app' },
      },
      risky,
    );
    const clean = join(work, 'clean.tar');
    await writeImageArchive(
      { tags: [CLEAN_TAG], compression: 'gzip', layers: [{ createdBy: 'COPY site/ /srv/ # buildkit', files: [{ path: '/srv/index.html', content: '<h1>hello</h1>\n' }] }] },
      clean,
    );
    await loadImageArchive(risky);
    await loadImageArchive(clean);
    const id = async (tag: string) => (await docker.getImage(tag).inspect()).Id;
    return { risky: await id(RISKY_TAG), clean: await id(CLEAN_TAG) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
