/** GET/PUT /api/settings/detection: defaults, validation (400 naming the field), rule file checks, persistence. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createScanServices } from '../scan/services.ts';
import { testApp, TEST_PORT, TEST_TOKEN } from '../testing/test-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const base = await testApp(() => {});
  const dataDir = await mkdtemp(join(tmpdir(), 'detection-settings-'));
  const scans = await createScanServices({ dataDir, store: base.store, inventory: base.inventory, bus: base.bus, dockerTarget: base.deps.dockerTarget, log: () => {} });
  closers.push(async () => {
    await scans.stop();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const app = createApp({ ...base.deps, scans });
  const call = async (method: 'GET' | 'PUT', body?: unknown) => {
    const res = await app.request('/api/settings/detection', {
      method,
      headers: { host: `127.0.0.1:${TEST_PORT}`, authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { field?: string; message: string } } };
  };
  return { call, dataDir, scans };
}

describe('detection settings routes', () => {
  it('starts with the built-ins only, saves a valid setting and keeps it in state', async () => {
    const { call, dataDir, scans } = await setup();
    expect((await call('GET')).body).toEqual({ secretRulesFile: null, disabledRules: [], clamd: null });
    const rules = join(dataDir, 'mine.toml');
    await writeFile(rules, `[[rules]]\nid = "acme-token"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = ["acme_"]\n`);
    const saved = await call('PUT', { secretRulesFile: rules, disabledRules: ['jwt', 'jwt', 'acme-token'], clamd: '127.0.0.1:3310', maxFileSizeMb: 4 });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ secretRulesFile: rules, disabledRules: ['jwt', 'acme-token'], clamd: '127.0.0.1:3310', maxFileSizeMb: 4 });
    expect((await call('GET')).body).toEqual(saved.body);
    expect((scans.state.state as { scanEngine: { detection: unknown } }).scanEngine.detection).toEqual(saved.body);
  });

  it('answers bad input with 400 naming the field and keeps the previous setting', async () => {
    const { call, dataDir } = await setup();
    const field = async (body: unknown) => {
      const res = await call('PUT', body);
      expect(res.status).toBe(400);
      return res.body.error!;
    };
    expect((await field({ disabledRules: 'jwt' })).field).toBe('disabledRules');
    expect((await field({ disabledRules: ['has space'] })).field).toBe('disabledRules.0');
    expect((await field({ secretRulesFile: 'relative.toml' })).message).toMatch(/secretRulesFile: must be an absolute path/);
    expect((await field({ maxFileSizeMb: 0 })).field).toBe('maxFileSizeMb');
    expect((await field({ clamd: 'not an address' })).message).toMatch(/^clamd: invalid clamd address/);
    expect((await field({ colour: 'red' })).field).toBe('colour');

    const missing = await field({ secretRulesFile: join(dataDir, 'nope.toml') });
    expect(missing).toMatchObject({ field: 'secretRulesFile', message: expect.stringMatching(/cannot read secret rules .*nope\.toml/) });
    const broken = join(dataDir, 'broken.toml');
    await writeFile(broken, '[[rules]\nid = "x"\n');
    expect(await field({ secretRulesFile: broken })).toMatchObject({ field: 'secretRulesFile', message: expect.stringContaining('broken.toml') });
    // A construct Shipshape cannot honour: refused, naming the rule and the construct.
    const lookaround = join(dataDir, 'lookaround.toml');
    await writeFile(lookaround, `[[rules]]\nid = "bad"\nregex = '''(?<=key=)\\w+'''\n`);
    expect((await field({ secretRulesFile: lookaround })).message).toMatch(/secretRulesFile: .*lookaround\.toml: rule 'bad': regex is not a valid RE2 regex/);
    const extendPath = join(dataDir, 'extend-path.toml');
    await writeFile(extendPath, `[extend]\npath = "/etc/gitleaks.toml"\n`);
    expect((await field({ secretRulesFile: extendPath })).message).toMatch(/secretRulesFile: .*extend-path\.toml: \[extend\] path is not supported/);
    const empty = join(dataDir, 'empty.toml');
    await writeFile(empty, `title = "nothing"\n`);
    expect((await field({ secretRulesFile: empty })).message).toMatch(/secretRulesFile: no rule in .*empty\.toml: a rule file replaces the built-in rules/);

    expect((await call('GET')).body).toEqual({ secretRulesFile: null, disabledRules: [], clamd: null });
  });
});
