/**
 * The images of the risk-over-time suite, generated and `docker load`ed (no registry):
 *   app  — Debian 11 packages with advisories in the fixtures (libssl1.1 1.1.1n-0+deb11u3,
 *          liblog4j2-java 2.15.0-1~deb11u1: DSA-5343-1, DSA-5022-1, DSA-5024-1), then a layer
 *          that leaves a private key in /root/.ssh;
 *   web  — v1: lodash 4.17.15 (GHSA-35jh-r3h4-6jhm, high) and commons-text 1.9 in a jar
 *          (GHSA-599f-7c49-w659 "Text4Shell", critical); v2: both upgraded, nothing to find.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeZip, pomProperties } from '@shipshape/analyzers/lang/java/make-zip.ts';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { bullseyeOsRelease, bullseyeStanzas } from '../../support/bullseye-image.ts';
import { docker, loadImageArchive } from '../../support/docker.ts';

export const HISTORY_PREFIX = 'shipshape-test/risk-history';
export const APP_TAG = `${HISTORY_PREFIX}:app`;
export const WEB_TAG = `${HISTORY_PREFIX}:web`;

/** Built from pieces so no scanner flags this source file itself. */
const privateKey = ['-----BEGIN RSA PRIVATE ' + 'KEY-----', 'MIIEowIBAAKCAQEAq1xPr3nV8cT2wK5mJ7hL0sD4fG9bY6uE3iO8aQ1zR5tW2vX', 'n4mB7cK0jH3gF6dS9aL2pO5iU8yT1rE4wQ7zX0cV3bN6mM9kJ2hG5fD8sA1lP4o', '-----END RSA PRIVATE ' + 'KEY-----', ''].join('\n');

const idOf = async (tag: string) => (await docker.getImage(tag).inspect()).Id;

async function load(write: (file: string) => Promise<unknown>): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-history-image-'));
  try {
    const file = join(work, 'image.tar');
    await write(file);
    await loadImageArchive(file);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function loadAppImage(): Promise<string> {
  await load((file) =>
    writeImageArchive(
      {
        tags: [APP_TAG],
        compression: 'gzip',
        layers: [
          {
            createdBy: 'COPY rootfs/ / # buildkit',
            files: [
              { path: '/etc/os-release', content: bullseyeOsRelease },
              { path: '/etc/debian_version', content: '11.6\n' },
              { path: '/var/lib/dpkg/status', content: bullseyeStanzas },
            ],
          },
          { createdBy: 'COPY deploy/id_rsa /root/.ssh/id_rsa # buildkit', files: [{ path: '/root/.ssh/id_rsa', content: privateKey, mode: 0o600 }] },
        ],
        config: { Cmd: ['java', '-jar', '/app/app.jar'] },
      },
      file,
    ),
  );
  return idOf(APP_TAG);
}

/** Loads web v1 or v2 under the same tag; returns its image ID. */
export async function loadWebImage(version: 1 | 2): Promise<string> {
  const [lodash, commonsText] = version === 1 ? ['4.17.15', '1.9'] : ['4.17.21', '1.10.0'];
  const jar = await makeZip([pomProperties('org.apache.commons', 'commons-text', commonsText)]);
  await load((file) =>
    writeImageArchive(
      {
        tags: [WEB_TAG],
        compression: 'gzip',
        layers: [
          {
            createdBy: `COPY app/ /app/ # buildkit (v${version})`,
            files: [
              { path: '/app/package.json', content: JSON.stringify({ name: 'web', version: `${version}.0.0`, private: true, dependencies: { lodash } }) },
              { path: '/app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: lodash, license: 'MIT' }) },
              { path: `/app/lib/commons-text-${commonsText}.jar`, content: jar },
            ],
          },
        ],
        config: { Cmd: ['node', '/app/index.js'] },
      },
      file,
    ),
  );
  return idOf(WEB_TAG);
}
