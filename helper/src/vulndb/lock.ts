/**
 * One writer at a time per data dir (the CLI and the helper may both update). A lock
 * file holds the writer's pid; a lock whose process is gone is stale and taken over.
 */
import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../process-alive.ts';

export class VulnDbBusyError extends Error {
  override name = 'VulnDbBusyError';
}

/** Lock files this process holds: a second writer in the same process is as busy as one elsewhere. */
const heldHere = new Set<string>();

export function acquireWriteLock(dir: string): () => void {
  const file = join(dir, 'update.lock');
  if (heldHere.has(file)) throw new VulnDbBusyError('a vulnerability-database update is already running in this process; try again when it has finished');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new VulnDbBusyError(`another vulnerability-database update is running (pid ${pid}); try again when it has finished`);
      }
      rmSync(file, { force: true }); // stale: its writer died
    }
  }
  throw new VulnDbBusyError(`could not take the update lock ${file}`);
}
