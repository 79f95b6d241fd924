import { mkdtemp, readFile, rm, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, rotateToken, TokenStore, tokensEqual } from './token.ts';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'shipshape-token-')), 'data');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('token file', () => {
  it('is created once, random, 0600, in a 0700 data dir', async () => {
    const token = await loadOrCreateToken(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadOrCreateToken(dir)).toBe(token);
    expect((await stat(join(dir, 'token'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('tightens a token file that others can read', async () => {
    await loadOrCreateToken(dir);
    await chmod(join(dir, 'token'), 0o644);
    await loadOrCreateToken(dir);
    expect((await stat(join(dir, 'token'))).mode & 0o777).toBe(0o600);
  });
});

describe('tokensEqual', () => {
  it('compares whole tokens of any length', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('ab', 'abc')).toBe(false);
    expect(tokensEqual('', '')).toBe(false);
  });
});

describe('TokenStore', () => {
  it('accepts only the current token and switches at once on rotation, announcing it', async () => {
    let rotations = 0;
    const store = await TokenStore.open(dir, () => rotations++);
    const first = (await readFile(join(dir, 'token'), 'utf8')).trim();
    expect(store.verify(first)).toBe(true);
    expect(store.verify('nope')).toBe(false);
    const second = await rotateToken(dir);
    expect(store.verify(first)).toBe(false);
    expect(store.verify(second)).toBe(true);
    expect(rotations).toBe(1);
    store.close();
  });
});
