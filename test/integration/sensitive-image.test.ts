/**
 * Secrets in an image built by the test (generated archive, `docker load`, scanned through
 * the orchestrator over dockerode's image.get()): a secret in ENV and one passed to a RUN
 * step as a build arg, both reported with their build step; sensitive files by name; a key
 * in a file a later layer deletes. Then the clean Debian image: every sensitive finding must
 * be one this test can justify (there are none today; the list says what would be accepted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanImage } from '@shipshape/analyzers';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ScanReport } from '@shipshape/shared';
import { writeFileSync } from 'node:fs';
import { docker, loadImageArchive, removeImages } from '../support/docker.ts';
import { runScanCli } from './inventory-cli.ts';
import { ensureDebianImage } from '../support/debian-image.ts';

const PREFIX = 'shipshape-test/sensitive';
const TAG = `${PREFIX}:samples`;
// Assembled at run time so the repository holds no literal token.
const GITHUB_TOKEN = ['ghp', 'Zq8Rt2Vx6Bn4Mk9Lp3Hs7Dw1Fy5Gc0Ja8Te2U'].join('_');
const NPM_TOKEN = ['npm', 'Xw4Ve8Rt2Yu6Io0Pa3Sd7Fg1Hj5Kl9Zx3Cv7'].join('_');
const DB_PASSWORD = 'Vq7-Lm2!zR9pWx';
const KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDxEYg2yjkz5cuVvCYw1ATrK8kG5zGyCq6VTiP3bHx3sAAAAJi2oH4ctqB+',
  '-----END OPENSSH PRIVATE KEY-----',
  '',
].join('\n');

const COPY_STEP = 'COPY . /app # buildkit';
const BUILD_STEP = `RUN |1 NPM_TOKEN=${NPM_TOKEN} /bin/sh -c npm ci && rm -f /root/.ssh/deploy_key # buildkit`;
const ENV_STEP = `ENV DATABASE_PASSWORD=${DB_PASSWORD}`;
// The report shows build steps with their secrets masked.
const masked = (step: string) => step.replace(DB_PASSWORD, 'Vq7***').replace(NPM_TOKEN, 'npm_***');
let work: string;
let report: ScanReport;

async function scanTag(tag: string): Promise<ScanReport> {
  const stream = (await docker.getImage(tag).get()) as unknown as Readable;
  return scanImage(stream, { categories: ['sensitive'], tags: [tag] });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-sensitive-'));
  const archive = join(work, 'image.tar');
  await writeImageArchive(
    {
      tags: [TAG],
      layers: [
        {
          createdBy: COPY_STEP,
          files: [
            { path: '/app/deploy.sh', content: `#!/bin/sh\ngit clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/app.git\n`, mode: 0o755 },
            { path: '/root/.ssh/id_ed25519', content: KEY, mode: 0o600 },
            { path: '/root/.ssh/deploy_key.pem', content: KEY, mode: 0o600 },
            { path: '/app/.env', content: `DB_HOST=db\nDB_PASSWORD=${DB_PASSWORD}\n` },
            { path: '/root/.docker/config.json', content: '{"auths":{"registry.acme.io":{"auth":"YWNtZTpzM2NyM3QtcGFzcw=="}}}' },
            { path: '/etc/shadow', content: 'root:$6$Qx1r$Jm2VYk0b3s2x9UQzXQpYI1b4r5Yt2o0Zb8gBf0mV1sQ9c8h2KfFq3tW6k7nL1pY0xZ4aR5eT7uI9oP2aS3dF4g:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n' },
            { path: '/usr/share/doc/tool/examples/config', content: `password = ${DB_PASSWORD}\n` },
            { path: '/etc/acme/agent.conf', content: 'license_key = ACME-LIC-7Q2W9E4R1T\n' },
          ],
        },
        { createdBy: BUILD_STEP, files: [{ path: '/app/node_modules/.package-lock.json', content: '{}' }], whiteouts: ['/root/.ssh/deploy_key.pem'] },
      ],
      config: {
        Env: ['PATH=/usr/local/bin:/usr/bin:/bin', `DATABASE_PASSWORD=${DB_PASSWORD}`],
        Cmd: ['/app/deploy.sh'],
        history: [{ created_by: ENV_STEP, empty_layer: true }],
      },
    },
    archive,
  );
  await loadImageArchive(archive);
  report = await scanTag(TAG);
});

afterAll(async () => {
  await removeImages(PREFIX);
  rmSync(work, { recursive: true, force: true });
});

describe('secrets in a test-built image', () => {
  const find = (path: string) => report.sensitive!.filter((s) => s.path === path);

  it('a secret in ENV, with the ENV build step', () => {
    const [env] = find('config:Env');
    expect(env).toMatchObject({ type: 'password', severity: 'high' });
    expect(env!.layer?.createdBy).toBe(masked(ENV_STEP));
  });

  it('a token passed to a RUN step as a build arg, with that build step', () => {
    const hits = report.sensitive!.filter((s) => s.path.startsWith('history:'));
    expect(hits.map((h) => [h.ruleId, h.layer?.createdBy])).toContainEqual(['npm-access-token', masked(BUILD_STEP)]);
    expect(report.image.layers[1]!.createdBy).toBe(masked(BUILD_STEP));
    const diffIds = report.image.layers.map((l) => l.diffId);
    expect(hits.find((h) => h.ruleId === 'npm-access-token')!.layer?.diffId).toBe(diffIds[1]);
  });

  it('a token in a script, with its line and layer', () => {
    expect(find('/app/deploy.sh').map((s) => [s.ruleId, s.type, s.line, s.layer?.createdBy])).toContainEqual(['github-token', 'token', 2, COPY_STEP]);
  });

  it('sensitive files by name', () => {
    expect(find('/root/.ssh/id_ed25519').map((s) => [s.ruleId, s.type, s.severity])).toEqual([['file-ssh-private-key', 'private_key', 'critical']]);
    expect(find('/app/.env').map((s) => s.ruleId)).toContain('file-dotenv');
    expect(find('/root/.docker/config.json').map((s) => s.ruleId)).toEqual(['file-docker-config-auth']);
    expect(find('/etc/shadow').map((s) => [s.ruleId, s.line])).toEqual([['file-shadow-password-hash', 1]]);
  });

  it('a key deleted by a later layer is still reported, not in the final filesystem', () => {
    const [pem] = find('/root/.ssh/deploy_key.pem');
    expect(pem).toMatchObject({ ruleId: 'file-private-key', inFinalFilesystem: false });
  });

  it('documentation examples are not reported; no finding holds a whole secret', () => {
    expect(find('/usr/share/doc/tool/examples/config')).toEqual([]);
    const text = JSON.stringify(report);
    for (const secret of [GITHUB_TOKEN, NPM_TOKEN, DB_PASSWORD, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ']) expect(text).not.toContain(secret);
    expect(report.sensitive!.every((s) => s.match.endsWith('***'))).toBe(true);
  });
});

describe('user rules through the CLI', () => {
  const acmeRule = `[[rules]]\nid = "acme-license-key"\ndescription = "ACME license key"\nregex = '''(?i)\\bACME-LIC-[A-Z0-9]{10}\\b'''\nkeywords = ["acme-lic-"]\n`;
  const acmeFindings = (report: ScanReport) => report.sensitive!.filter((s) => s.ruleId === 'acme-license-key').map((s) => [s.path, s.line, s.type]);

  it('`--secret-rules FILE` replaces the built-in secret rules (gitleaks\' convention); file-name checks stay', async () => {
    const rules = join(work, 'acme.toml');
    writeFileSync(rules, acmeRule);
    const result = await runScanCli([TAG, '--categories', 'sensitive', '--secret-rules', rules, '--quiet', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const cli = JSON.parse(result.stdout) as ScanReport;
    const ids = cli.sensitive!.map((s) => s.ruleId);
    expect(acmeFindings(cli)).toEqual([['/etc/acme/agent.conf', 1, 'credential']]);
    expect(ids).not.toContain('github-token'); // a built-in rule: not loaded
    expect(ids).toContain('file-ssh-private-key');
  });

  it('with [extend] useDefault = true the file adds to the built-in rules, and `--disable-rules` turns rules off', async () => {
    const rules = join(work, 'acme-extend.toml');
    writeFileSync(rules, `[extend]\nuseDefault = true\n\n${acmeRule}`);
    const both = JSON.parse((await runScanCli([TAG, '--categories', 'sensitive', '--secret-rules', rules, '--quiet', '--format', 'json'])).stdout) as ScanReport;
    expect(acmeFindings(both)).toEqual([['/etc/acme/agent.conf', 1, 'credential']]);
    expect(both.sensitive!.map((s) => s.ruleId)).toContain('github-token');
    const result = await runScanCli([TAG, '--categories', 'sensitive', '--secret-rules', rules, '--disable-rules', 'github-token,file-dotenv', '--quiet', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const ids = (JSON.parse(result.stdout) as ScanReport).sensitive!.map((s) => s.ruleId);
    expect(ids).toContain('acme-license-key');
    expect(ids).not.toContain('github-token');
    expect(ids).not.toContain('file-dotenv');
  });

  it('a rule file with a construct Shipshape cannot honour is refused, naming the rule and the construct', async () => {
    const rules = join(work, 'lookbehind.toml');
    writeFileSync(rules, `[[rules]]\nid = "after-key"\nregex = '''(?<=key=)\\w{20}'''\n`);
    const result = await runScanCli([TAG, '--categories', 'sensitive', '--secret-rules', rules, '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/lookbehind\.toml: rule 'after-key': regex is not a valid RE2 regex/);
  });

  it('an invalid rule file fails the scan with its name, and no report', async () => {
    const bad = join(work, 'bad.toml');
    writeFileSync(bad, '[[rules]\nid = ');
    const result = await runScanCli([TAG, '--categories', 'sensitive', '--secret-rules', bad, '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/bad\.toml: invalid TOML/);
  });
});

describe('the clean Debian image', () => {
  it('has no sensitive finding that the test cannot justify', async () => {
    const debian = await ensureDebianImage();
    const clean = await scanTag(debian.tag);
    // What would be accepted, and why. Today the image (mmdebstrap minbase + one step) has
    // no ssl-cert package (no snakeoil key) and /etc/shadow locks every account.
    const justified: Array<{ path: RegExp; ruleId: RegExp; why: string }> = [
      { path: /^\/etc\/ssl\/private\/ssl-cert-snakeoil\.key$/, ruleId: /private-key/, why: 'the ssl-cert package generates a real, per-install snakeoil key' },
    ];
    const unexplained = clean.sensitive!.filter((s) => !justified.some((j) => j.path.test(s.path) && j.ruleId.test(s.ruleId)));
    expect(unexplained).toEqual([]);
  });
});
