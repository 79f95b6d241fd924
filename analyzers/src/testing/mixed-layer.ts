/**
 * A small layer with something for every analyzer and every kind of entry (a secret, a package,
 * the OS, malware, a symlink, a hard link the dpkg analyzer reads, whiteouts, an opaque folder):
 * the layer the layer-source tests read from a folder, a tar stream and a tar file.
 */
import { eicar } from '../malware/test-files.ts';
import type { LayerSpec } from './image-archive.ts';

// Assembled at run time so the repository holds no literal key.
const awsKey = ['AKIA', 'Z7QW3RTY8UIOP2LK'].join('');
const status = 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n';

/** Files in byte order, as Docker's tar writer walks a folder: the sources then meet files in the same order. */
export const mixedLayer: LayerSpec = {
  files: [
    { path: '/app/.env', content: `AWS_ACCESS_KEY_ID=${awsKey}\n` },
    { path: '/app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) },
    { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { path: '/tmp/eicar.com', content: eicar() },
    { path: '/usr/bin/sh', type: 'symlink', linkTarget: 'dash' },
    // The dpkg analyzer reads hard links too: `status` is analysed from the content of `backup`.
    { path: '/var/lib/dpkg/backup', content: status },
    { path: '/var/lib/dpkg/status', type: 'hardlink', linkTarget: '/var/lib/dpkg/backup' },
  ],
  whiteouts: ['/etc/old.conf', '/opt/gone'],
  opaqueDirs: ['/var/cache'],
};
