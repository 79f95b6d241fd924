import { describe, expect, it } from 'vitest';
import { buildArgsOf, scanImageConfig } from './image-config.ts';

const token = 'npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

describe('image config and history', () => {
  const history = [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created_by: '/bin/sh -c #(nop)  ENV DB_PASSWORD=s3cr3t-Pa55', empty_layer: true },
    { created_by: '/bin/sh -c #(nop)  ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D', empty_layer: true },
    { created_by: `RUN |1 NPM_TOKEN=${token} /bin/sh -c npm ci # buildkit` },
    { created_by: '/bin/sh -c #(nop)  CMD ["node" "server.js"]', empty_layer: true },
  ];
  const config = { Env: ['PATH=/usr/bin', 'DB_PASSWORD=s3cr3t-Pa55', 'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D'], Cmd: ['node', 'server.js'] };

  it('finds the ENV secret and the build-arg token, each with its build step', () => {
    const found = scanImageConfig(config, history, ['sha256:l1', 'sha256:l2']);
    expect(found.map((f) => [f.path, f.ruleId, f.layer?.createdBy, f.layer?.diffId])).toEqual([
      ['config:Env', 'generic-password-assignment', `/bin/sh -c #(nop)  ENV DB_PASSWORD=${found[0]!.match}`, ''],
      ['history:3', 'npm-access-token', `RUN |1 NPM_TOKEN=${found[1]!.match} /bin/sh -c npm ci # buildkit`, 'sha256:l2'],
    ]);
    expect(found.map((f) => f.match)).toEqual([expect.stringMatching(/^s3\*\*\*\[[0-9a-f]{6}\]$/), expect.stringMatching(/^npm_\*\*\*\[[0-9a-f]{6}\]$/)]);
  });
  it('a secret-named ENV that no rule matches is still reported, by name', () => {
    const found = scanImageConfig({ Env: ['API_TOKEN=plainword'] }, [{ created_by: 'ENV API_TOKEN=plainword', empty_layer: true }]);
    expect(found.map((f) => [f.ruleId, f.layer?.createdBy])).toEqual([['config-ENV-secret', expect.stringMatching(/^ENV API_TOKEN=pl\*\*\*\[[0-9a-f]{6}\]$/)]]);
  });
  it('reads the build args Docker records for RUN steps', () => {
    expect(buildArgsOf('|2 A=1 B="x y" /bin/sh -c true')).toEqual([['A', '1'], ['B', 'x y']]);
    expect(buildArgsOf('/bin/sh -c true')).toEqual([]);
  });
  it('an empty config has no findings', () => {
    expect(scanImageConfig({ Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] }, [])).toEqual([]);
  });
});
