import { describe, expect, it } from 'vitest';
import type { AnalyzerContext, Finding, LayerFile } from '../analyzer.ts';
import { createSensitiveAnalyzer } from './analyzer.ts';
import { parseRuleFile } from './rules.ts';

const ctx: AnalyzerContext = { layer: { diffId: 'sha256:x', createdBy: null, index: 0 }, note: () => {} };
const file = (path: string, content: string | Buffer): LayerFile => {
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  return { path, size: buf.length, mode: 0o644, kind: 'file', content: buf };
};
const run = (path: string, content: string | Buffer, analyzer = createSensitiveAnalyzer()) => {
  const meta = file(path, content);
  if (!analyzer.required(path, meta)) return null;
  return (analyzer.analyze(meta, ctx) as Finding[]).map((f) => (f.kind === 'sensitive' ? f.finding : null)).filter((f) => f !== null);
};
// Built at runtime so this file holds no literal token.
const ghToken = 'ghp_' + 'R7s2Xk9QmPz4Lw8Vn3Tb6Yc1Hd5Jf0Ga2Ke4';
const key = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA2a2rwplBQLF29amygykEMmYz0+Kcj3bKBp29P2rFj7r1f6Nq', 'Lm3+4a5b6c7d8e9f0g1h2i3j4k5l6m7n8o9p0q1r2s3t4u5v6w7x8y9z0A1B2C3D', '-----END RSA PRIVATE KEY-----', ''].join('\n');

describe('sensitive analyzer', () => {
  it('finds a token with rule, type, line and a masked match (never the whole secret)', () => {
    const [f, ...rest] = run('/app/deploy.sh', `#!/bin/sh\n\ncurl -H "Authorization: token ${ghToken}" https://api.github.com\n`)!;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'github-token', type: 'token', severity: 'critical', line: 3, path: '/app/deploy.sh' });
    expect(f!.match).toMatch(/^ghp_\*\*\*\[[0-9a-f]{6}\]$/);
    expect(JSON.stringify(f)).not.toContain(ghToken.slice(4));
  });
  it('reports an id_rsa once, as a file finding', () => {
    const found = run('/root/.ssh/id_rsa', key)!;
    expect(found.map((f) => [f.ruleId, f.type, f.line])).toEqual([['file-ssh-private-key', 'private_key', 1]]);
  });
  it('reads what gitleaks reads: data with NUL bytes yes, executables and archives no', () => {
    const tokenLine = Buffer.from(`\ntoken=${ghToken}\n`);
    // A gettext catalogue, a Berkeley DB: binary, yet no application type to filetype.
    expect(run('/app/locale/de/LC_MESSAGES/app.mo', Buffer.concat([Buffer.from([0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0]), tokenLine]))!.map((f) => [f.ruleId, f.line])).toEqual([['github-token', 2]]);
    expect(run('/app/blob.bin', Buffer.concat([Buffer.from([0, 1, 2]), tokenLine]))!.map((f) => f.ruleId)).toEqual(['github-token']);
    // An ELF library, a Java class (0xCAFEBABE, Mach-O to filetype), a text that starts like a DOS executable.
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60), tokenLine]);
    expect(run('/usr/lib/libapp.so.1', elf)).toEqual([]);
    expect(run('/app/Config.class', Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34]), tokenLine]))).toEqual([]);
    expect(run('/app/notes.txt', Buffer.concat([Buffer.from('MZ notes'), tokenLine]))).toEqual([]);
    // Archives by name are not read at all; a file whose name only looks like one is read.
    expect(run('/app/backup.tar.gz', tokenLine)).toBeNull();
    expect(run('/app/settings.conf', tokenLine)!.map((f) => f.ruleId)).toEqual(['github-token']);
  });
  it('skips documentation and test data, but not sensitive file names', () => {
    expect(run('/usr/share/doc/x/README', ghToken)).toBeNull();
    expect(run('/app/node_modules/x/test/fixture.js', ghToken)).toBeNull();
    expect(run('/usr/share/doc/x/.git-credentials', `https://bob:${ghToken}@github.com\n`)!.map((f) => f.ruleId)).toEqual(['file-git-credentials']);
  });
  it('takes a camelCase identifier in code for code, but still flags a literal password', () => {
    expect(run('/app/node_modules/axios/lib/core/mergeConfig.js', '  withCredentials: defaultToConfig2,\n')).toEqual([]);
    expect(run('/app/config.js', 'const password = "h7Gk2pQz9xWv4Lm";\n')!.map((f) => f.ruleId)).toEqual(['generic-password-assignment']);
  });
  it('recognises credential files by name and content', () => {
    expect(run('/home/u/.npmrc', '//registry.npmjs.org/:_authToken=abcd1234efgh5678\n')!.map((f) => f.ruleId)).toContain('file-npmrc-credentials');
    expect(run('/root/.pypirc', '[pypi]\nusername = __token__\npassword = hunter2hunter\n')!.map((f) => [f.ruleId, f.line])).toContainEqual(['file-pypirc-credentials', 3]);
    expect(run('/root/.docker/config.json', '{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZA=="}}}')!.map((f) => f.ruleId)).toEqual(['file-docker-config-auth']);
    expect(run('/root/.docker/config.json', '{"auths":{},"credsStore":"desktop"}')).toEqual([]);
    const kube = 'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abcdefghijklmnop1234\n';
    expect(run('/root/.kube/config', kube)!.map((f) => [f.ruleId, f.line])).toEqual([['file-kubeconfig', 6]]);
    expect(run('/app/.env', 'DB_HOST=db\nDB_NAME=app\n')!.map((f) => [f.ruleId, f.type])).toEqual([['file-dotenv', 'config']]);
    expect(run('/app/.env.example', 'DB_HOST=db\n')).toEqual([]);
  });
  it('reports /etc/shadow entries with hashes, not locked accounts', () => {
    const shadow = 'root:*:19000:0:99999:7:::\ndaemon:!:19000::::::\nadmin:$6$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ:19000:0:99999:7:::\n';
    const found = run('/etc/shadow', shadow)!;
    expect(found.map((f) => [f.ruleId, f.line, f.match])).toEqual([['file-shadow-password-hash', 3, expect.stringMatching(/^admi\*\*\*\[[0-9a-f]{6}\]$/)]]);
  });
  it('user rules are added and rules can be turned off by id', () => {
    const user = parseRuleFile(`[[rules]]\nid = "acme-key"\nregex = '''(?i)acme_[a-z0-9]{16}'''\nkeywords = ["acme_"]\n`);
    const analyzer = createSensitiveAnalyzer({ userRuleSets: [user], disabledRules: ['github-token'] });
    const found = run('/app/x.txt', `k=ACME_abcdefgh12345678\nt=${ghToken}\n`, analyzer)!;
    expect(found.map((f) => f.ruleId)).toEqual(['acme-key']);
  });
});
