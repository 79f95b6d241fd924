/**
 * The language analyzers inside a whole scan (walker, whiteouts, hard links, layers), on
 * small image archives built in memory.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scanImage } from '../scan.ts';
import { imageArchiveStream, type LayerSpec } from '../testing/image-archive.ts';
import { langAnalyzers } from './index.ts';
import { makeZip, pomProperties } from './java/make-zip.ts';

const goBinary = readFileSync(new URL('./golang/testdata/goexperiment', import.meta.url));
const manifest = (name: string, version: string) => JSON.stringify({ name, version });

async function scan(layers: LayerSpec[]) {
  const report = await scanImage(await imageArchiveStream({ layers }), { analyzers: langAnalyzers });
  return report.packages.map((p) => `${p.ecosystem} ${p.name}@${p.version} ${p.paths.join(',')}`).sort();
}

describe('language inventories in a scan', () => {
  it('applies whiteouts and later versions across layers', async () => {
    const packages = await scan([
      {
        createdBy: 'COPY app /app',
        files: [
          { path: '/app/node_modules/left-pad/package.json', content: manifest('left-pad', '1.0.0') },
          { path: '/app/node_modules/lodash/package.json', content: manifest('lodash', '4.17.20') },
          { path: '/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA', content: 'Name: six\nVersion: 1.16.0\n' },
        ],
      },
      {
        createdBy: 'RUN npm up lodash && npm rm left-pad && pip uninstall six',
        files: [{ path: '/app/node_modules/lodash/package.json', content: manifest('lodash', '4.17.21') }],
        whiteouts: ['/app/node_modules/left-pad', '/usr/lib/python3/dist-packages/six-1.16.0.dist-info'],
      },
    ]);
    expect(packages).toEqual(['npm lodash@4.17.21 /app/node_modules/lodash/package.json']);
  });

  it('reads hard-linked Go binaries and archives nested in an opaque directory', async () => {
    const jar = await makeZip([pomProperties('org.yaml', 'snakeyaml', '1.33')]);
    const packages = await scan([
      { files: [{ path: '/opt/lib/old.jar', content: await makeZip([pomProperties('old', 'gone', '1')]) }] },
      {
        files: [
          { path: '/usr/local/bin/tool', content: goBinary, mode: 0o755 },
          { path: '/usr/local/bin/tool-alias', type: 'hardlink', linkTarget: '/usr/local/bin/tool', mode: 0o755 },
          { path: '/opt/lib/snakeyaml-1.33.jar', content: jar },
        ],
        opaqueDirs: ['/opt/lib'],
      },
    ]);
    expect(packages).toEqual([
      'Go stdlib@v1.22.1 /usr/local/bin/tool',
      'Go stdlib@v1.22.1 /usr/local/bin/tool-alias',
      'Maven org.yaml:snakeyaml@1.33 /opt/lib/snakeyaml-1.33.jar',
    ]);
  });
});
