import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { freePortAfter } from '../running.ts';
import { run } from './status.ts';

const work = mkdtempSync(join(tmpdir(), 'shipshape-status-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('shipshape status', () => {
  it("takes serve's flags (npm start passes its serve arguments) and answers for their --port and --data-dir", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const port = (await freePortAfter(20_000))!;
    const dataDir = join(work, 'data');
    const serveFlags = ['--layer-source', 'export', '--scan-workers', '3', '--engine', 'other=unix:///tmp/no-such.sock', '--clamd', '/tmp/no-such-clamd.sock', '--import-dir', work, '--data-refresh', 'off', '--mirror', 'http://127.0.0.1:1/osv'];
    expect(await run(['--port', String(port), '--data-dir', dataDir, '--json', ...serveFlags])).toBe(1);
    expect(JSON.parse(out.join(''))).toEqual({ running: false, port, pid: null, version: null, dataDir });
  });

  it('still refuses a flag serve does not take either', async () => {
    await expect(run(['--no-such-flag'])).rejects.toThrow(/--no-such-flag/);
  });
});
