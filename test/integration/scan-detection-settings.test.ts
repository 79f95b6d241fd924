/**
 * The helper's detection settings reach its scans, through a real helper process and a real
 * Docker Engine: a user gitleaks rule file finds a token the built-in rules do not know,
 * disabling that rule removes the finding on rescan, and a `.hdb` file in
 * `<data dir>/signatures/` detects a file the built-in signatures do not. Each change misses
 * the layer cache (a new `docker save`); an unchanged setting hits it. A configured clamd is
 * asked (the real-clamd verdicts are tested in malware-clamav.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import type { ScanTask } from '@shipshape/shared';
import { loadImageArchive, removeImages, waitFor } from '../support/docker.ts';
import { apiJson, startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/detection-settings';
const TAG = `${PREFIX}:custom`;
// Made at run time: a token no built-in rule knows (alone on its line: an assignment such as
// `auth = acmeco_…` is what the generic API-key rule catches, as gitleaks' does), and a payload no
// built-in signature matches.
const token = `acmeco_${randomBytes(16).toString('hex')}`;
const payload = Buffer.concat([Buffer.from('#!/bin/sh\n# shipshape detection-settings test payload\n'), randomBytes(64)]);
const RULES = `[[rules]]
id = "acmeco-token"
description = "AcmeCo internal API token"
regex = '''acmeco_[0-9a-f]{32}'''
keywords = ["acmeco_"]
`;

let work: string;
let helper: HelperProcess;
let imageId: string;

const send = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const api = <T>(path: string, init?: RequestInit) => apiJson<T>(helper, path, init);

/** Scans the test image (secrets and malware only: no vulnerability database needed) and returns its findings. */
async function scan() {
  const task = await api<ScanTask>('/api/scans', send('POST', { images: [imageId], categories: ['sensitive', 'malware'] }));
  let view = task;
  for (let i = 0; view.done < view.total; i++) {
    if (i > 1200) throw new Error(`scan did not finish: ${JSON.stringify(view)}`);
    await sleep(100);
    view = await api<ScanTask>(`/api/scans/${task.id}`);
  }
  const image = view.images[0]!;
  expect(image.status, image.reason ?? '').toBe('scanned');
  const sensitive = await api<{ items: Array<{ ruleId: string; path: string; match: string }> }>(`/api/images/${imageId}/sensitive`);
  const malware = await api<{ items: Array<{ name: string; path: string; engine: string }> }>(`/api/images/${imageId}/malware`);
  return { image, sensitive: sensitive.items, malware: malware.items };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shipshape-detection-settings-'));
  await removeImages(PREFIX);
  const archive = join(work, 'image.tar');
  const built = await writeImageArchive(
    {
      tags: [TAG],
      layers: [
        {
          files: [
            { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
            { path: '/srv/app/settings.ini', content: `[api]\nendpoint = https://api.example.invalid\n# issued to the build box\n${token}\n` },
            { path: '/opt/tools/update.sh', content: payload, mode: 0o755 },
          ],
          createdBy: 'COPY . / # detection-settings test',
        },
      ],
    },
    archive,
  );
  await loadImageArchive(archive);
  imageId = built.imageId;
  helper = await startHelper();
  // The helper knows the image once its inventory has caught up.
  await waitFor(async () => (await api<{ items: unknown[] }>(`/api/images?q=${encodeURIComponent(PREFIX)}`)).items.length === 1, 20_000, 100);
}, 300_000);

afterAll(async () => {
  await helper?.stop();
  await removeImages(PREFIX).catch(() => {});
  await rm(work, { recursive: true, force: true });
});

describe('detection settings in helper scans (real daemon, real analyzers)', () => {
  it('the built-ins find neither the custom token nor the payload', async () => {
    const { sensitive, malware } = await scan();
    expect(sensitive.filter((s) => s.path === '/srv/app/settings.ini')).toEqual([]);
    expect(malware.filter((m) => m.path === '/opt/tools/update.sh')).toEqual([]);
  });

  it('a user rule file and a .hdb in <data dir>/signatures add findings; disabling the rule removes its finding', async () => {
    const rules = join(work, 'acmeco.toml');
    await writeFile(rules, RULES);
    const saved = await api('/api/settings/detection', send('PUT', { secretRulesFile: rules, disabledRules: [], clamd: null }));
    expect(saved).toEqual({ secretRulesFile: rules, disabledRules: [], clamd: null });
    const signatures = join(helper.dataDir, 'signatures');
    await mkdir(signatures, { recursive: true });
    await writeFile(join(signatures, 'local.hdb'), `${createHash('md5').update(payload).digest('hex')}:${payload.length}:Shipshape.Test.Trojan-1\n`);

    const custom = await scan();
    expect(custom.image.dockerSaveSkipped).toBe(false);
    const found = custom.sensitive.filter((s) => s.ruleId === 'acmeco-token');
    expect(found).toEqual([expect.objectContaining({ path: '/srv/app/settings.ini' })]);
    expect(found[0]!.match).not.toContain(token); // masked
    expect(custom.malware).toEqual([expect.objectContaining({ name: 'Shipshape.Test.Trojan-1', path: '/opt/tools/update.sh', engine: 'builtin' })]);

    // Same settings: answered from the layer cache.
    expect((await scan()).image.dockerSaveSkipped).toBe(true);

    await api('/api/settings/detection', send('PUT', { secretRulesFile: rules, disabledRules: ['acmeco-token'], clamd: null }));
    const disabled = await scan();
    expect(disabled.image.dockerSaveSkipped).toBe(false);
    expect(disabled.sensitive.filter((s) => s.ruleId === 'acmeco-token')).toEqual([]);
    expect(disabled.malware.map((m) => m.name)).toEqual(['Shipshape.Test.Trojan-1']);
  });

  it('a configured clamd is asked during the scan: one that is down is a note on the report, not a failure, and nothing is cached', async () => {
    const socket = join(work, 'no-clamd.sock');
    const rules = join(work, 'acmeco.toml');
    await api('/api/settings/detection', send('PUT', { secretRulesFile: rules, disabledRules: ['acmeco-token'], clamd: socket }));
    const { image, malware } = await scan();
    expect(image.dockerSaveSkipped).toBe(false);
    expect(malware.map((m) => m.name)).toEqual(['Shipshape.Test.Trojan-1']);
    const report = await api<{ notes: string[] }>(`/api/images/${imageId}/report?format=json`);
    expect(report.notes).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^ClamAV: .*no ClamAV verdicts .*clamd at ${socket}`))]));
    // Layers analyzed without ClamAV verdicts are not cached: the next scan asks clamd again.
    expect((await scan()).image.dockerSaveSkipped).toBe(false);
  });

  it('refuses a rule file that does not parse, keeping the saved setting', async () => {
    const broken = join(work, 'broken.toml');
    await writeFile(broken, '[[rules]\nid = "x"\n');
    const res = await helper.api('/api/settings/detection', send('PUT', { secretRulesFile: broken, disabledRules: [], clamd: null }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { field: string; message: string } };
    expect(body.error).toMatchObject({ field: 'secretRulesFile', message: expect.stringContaining('broken.toml') });
    expect(await api<{ disabledRules: string[] }>('/api/settings/detection')).toMatchObject({ disabledRules: ['acmeco-token'] });
  });
});
