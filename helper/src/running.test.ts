import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRunningHelper, freePortAfter, portProblem, readRunFile, removeRunFile, RUN_FILE, writeRunFile } from './running.ts';

let dataDir = '';
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shipshape-running-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A port with a program on it that accepts connections and never answers (not a helper). */
async function squat(): Promise<{ port: number; close(): Promise<void> }> {
  const held = new Set<Socket>();
  const server: Server = createServer((socket) => held.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('finding a running helper', () => {
  it('finds none when nothing listens and no run file names one', async () => {
    const port = (await freePortAfter(20_000))!;
    expect(await findRunningHelper(port, dataDir)).toBeNull();
    expect(await portProblem(port)).toBeNull();
  });

  it('tells another program on the port from a helper: not running, and the port in use', async () => {
    const other = await squat();
    try {
      expect(await findRunningHelper(other.port, dataDir)).toBeNull();
      expect(await portProblem(other.port)).toBe('EADDRINUSE');
      expect(await freePortAfter(other.port)).toBeGreaterThan(other.port);
    } finally {
      await other.close();
    }
  });

  it('removes the run file only for the process it names', async () => {
    await writeRunFile(dataDir, { pid: process.pid, port: 7373, version: '0.0.0', startedAt: new Date().toISOString() });
    await removeRunFile(dataDir, process.pid + 1);
    expect(await readRunFile(dataDir)).toMatchObject({ pid: process.pid, port: 7373 });
    await removeRunFile(dataDir, process.pid);
    expect(await readRunFile(dataDir)).toBeNull();
  });

  it('reads a damaged run file as none', async () => {
    await writeFile(join(dataDir, RUN_FILE), '{"pid": "x"');
    expect(await readRunFile(dataDir)).toBeNull();
  });
});
