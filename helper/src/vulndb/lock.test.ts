import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriteLock, VulnDbBusyError } from './lock.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-lock-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('vulnerability database write lock', () => {
  it('lets one writer in at a time, in this process too', () => {
    const release = acquireWriteLock(dir);
    expect(() => acquireWriteLock(dir)).toThrow(VulnDbBusyError);
    release();
    release(); // idempotent
    acquireWriteLock(dir)();
  });

  it('refuses while another live process holds it, and takes over a dead holder\'s lock', async () => {
    await writeFile(join(dir, 'update.lock'), String(process.ppid));
    expect(() => acquireWriteLock(dir)).toThrow(/another vulnerability-database update is running/);
    await writeFile(join(dir, 'update.lock'), '999999999');
    const release = acquireWriteLock(dir);
    release();
  });
});
