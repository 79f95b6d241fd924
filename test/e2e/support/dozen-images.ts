/**
 * A dozen generated images for the side panel's layout tests (no registry needed), loaded into
 * the daemon DOCKER_HOST names: three at risk (a known-vulnerable lodash, a private key, the
 * EICAR test file), three with a shell script that a silent clamd keeps `scanning`, six clean.
 * Each image has a file of its own, so every one is a distinct image ID.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eicar } from '@shipshape/analyzers/malware/test-files.ts';
import { writeImageArchive, type LayerSpec } from '@shipshape/analyzers/testing/image-archive.ts';
import { docker, loadImageArchive } from '../../support/docker.ts';
import { privateKeyPem } from './risky-image.ts';

export const DOZEN_PREFIX = 'shipshape-test/sidepanel-e2e';

export type DozenImages = { risky: string[]; slow: string[]; clean: string[]; all: string[] };

const lodash = JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT', main: 'lodash.js' });

function layers(kind: 'risky' | 'slow' | 'clean', n: number): LayerSpec[] {
  const own: LayerSpec = { createdBy: `COPY site-${kind}-${n}/ /srv/ # buildkit`, files: [{ path: '/srv/index.html', content: `<h1>${kind} ${n}</h1>\n` }] };
  if (kind === 'clean') return [own];
  if (kind === 'slow') {
    // An executable script: the malware scan streams it to clamd and waits for the answer.
    return [own, { createdBy: 'COPY entrypoint.sh /usr/local/bin/ # buildkit', files: [{ path: '/usr/local/bin/entrypoint.sh', content: `#!/bin/sh\necho ${n}\nexec "$@"\n`, mode: 0o755 }] }];
  }
  return [
    own,
    { createdBy: 'COPY app/ /app/ # buildkit', files: [{ path: '/app/node_modules/lodash/package.json', content: lodash }, { path: '/app/node_modules/lodash/lodash.js', content: 'module.exports = {};\n' }] },
    { createdBy: 'COPY deploy/id_rsa /root/.ssh/id_rsa # buildkit', files: [{ path: '/root/.ssh/id_rsa', content: privateKeyPem, mode: 0o600 }] },
    { createdBy: 'COPY tools/eicar.com /opt/tools/eicar.com # buildkit', files: [{ path: '/opt/tools/eicar.com', content: eicar() }] },
  ];
}

export async function ensureDozenImages(): Promise<DozenImages> {
  const work = await mkdtemp(join(tmpdir(), 'shipshape-e2e-dozen-'));
  const plan: Array<['risky' | 'slow' | 'clean', number]> = [
    ...[1, 2, 3].map((n) => ['risky', n] as ['risky', number]),
    ...[1, 2, 3].map((n) => ['slow', n] as ['slow', number]),
    ...[1, 2, 3, 4, 5, 6].map((n) => ['clean', n] as ['clean', number]),
  ];
  const ids: DozenImages = { risky: [], slow: [], clean: [], all: [] };
  try {
    for (const [kind, n] of plan) {
      const tag = `${DOZEN_PREFIX}-${kind}-${n}:1.${n}`;
      const archive = join(work, `${kind}-${n}.tar`);
      await writeImageArchive({ tags: [tag], compression: 'gzip', layers: layers(kind, n), config: { Cmd: ['/bin/sh'] } }, archive);
      await loadImageArchive(archive);
      const id = (await docker.getImage(tag).inspect()).Id;
      ids[kind].push(id);
      ids.all.push(id);
    }
    return ids;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
