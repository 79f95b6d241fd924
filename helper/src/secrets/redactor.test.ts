import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '@shipshape/analyzers/sensitive/index.ts';
import type { ImageInventory } from '../state/schema.ts';
import { SecretRedactor } from './redactor.ts';

// Built at runtime so this file holds no literal token.
const token = 'ghp_' + 'R7s2Xk9QmPz4Lw8Vn3Tb6Yc1Hd5Jf0Ga2Ke4';
const acme = 'acme_' + 'k3j4h5g6f7d8s9a0';

const inventory = (patch: Partial<ImageInventory> = {}): ImageInventory => ({
  id: 'sha256:' + 'a'.repeat(64),
  repoTags: ['app:1'],
  repoDigests: [],
  size: 1,
  created: '2026-01-01T00:00:00.000Z',
  os: 'linux',
  architecture: 'amd64',
  author: '',
  layerCount: 1,
  diffIds: ['sha256:l1'],
  env: ['PATH=/usr/bin', `API_TOKEN=${token}`, 'DB_PASSWORD=plainword1'],
  labels: { 'org.example.token': token, maintainer: 'me' },
  history: [
    { created: null, createdBy: `RUN |1 GH_TOKEN=${token} /bin/sh -c git clone https://x`, size: 10, comment: '', emptyLayer: false, diffId: 'sha256:l1' },
    { created: null, createdBy: `ENV API_TOKEN=${token} DB_PASSWORD=plainword1`, size: 0, comment: '', emptyLayer: true, diffId: null },
    { created: null, createdBy: 'CMD ["node","app.js"]', size: 0, comment: '', emptyLayer: true, diffId: null },
  ],
  ...patch,
});

describe('secret redactor', () => {
  it('masks Env, Labels, build steps and author with stable masks, leaving the rest alone', () => {
    const redactor = new SecretRedactor(Buffer.alloc(32, 5));
    const out = redactor.inventory(inventory({ author: `bot ${token}` }));
    const text = JSON.stringify(out);
    expect(text).not.toContain(token);
    expect(text).not.toContain('plainword1');
    const mask = /ghp_\*\*\*\[[0-9a-f]{6}\]/.exec(out.env[1]!)![0];
    expect(out.env).toEqual(['PATH=/usr/bin', `API_TOKEN=${mask}`, expect.stringMatching(/^DB_PASSWORD=pl\*\*\*\[[0-9a-f]{6}\]$/)]);
    expect(out.labels).toEqual({ 'org.example.token': mask, maintainer: 'me' });
    expect(out.history[0]!.createdBy).toBe(`RUN |1 GH_TOKEN=${mask} /bin/sh -c git clone https://x`);
    expect(out.history[2]!.createdBy).toBe('CMD ["node","app.js"]');
    expect(out.author).toBe(`bot ${mask}`);
    // Masking again changes nothing (stored inventories are re-masked at start).
    expect(redactor.inventory(out)).toEqual(out);
    expect(redactor.text(`sh -c "TOKEN=${token} node app.js"`)).toBe(`sh -c "TOKEN=${mask} node app.js"`);
  });

  it("uses the user's rules once they are loaded", () => {
    const redactor = new SecretRedactor(Buffer.alloc(32, 5));
    const withAcme = inventory({ env: [`ACME=${acme}`], labels: {}, history: [] });
    expect(redactor.inventory(withAcme).env).toEqual([`ACME=${acme}`]);
    const rules = parseRuleFile(`[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = ["acme_"]\n`, 'mine.toml');
    expect(redactor.useRules({ userRuleSets: [rules] }, 'v1')).toBe(true);
    expect(redactor.useRules({ userRuleSets: [rules] }, 'v1')).toBe(false);
    expect(redactor.inventory(withAcme).env[0]).toMatch(/^ACME=acme\*\*\*\[[0-9a-f]{6}\]$/);
    // That file replaces the built-in rules for scans (no [extend] useDefault): masking keeps them.
    expect(redactor.inventory(inventory({ env: [`GH=${token}`], labels: {}, history: [] })).env[0]).not.toContain(token);
  });
});
