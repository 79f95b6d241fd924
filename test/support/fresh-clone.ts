/**
 * A fresh clone of this working tree: the files `git clone` would give (tracked and new files,
 * with uncommitted changes, so a test sees the code under test), and nothing git ignores: no
 * node_modules, no dist/, no caches. Copied with tar; no .git.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freshClone(repoRoot: string, into: string): Promise<string> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 64 << 20 });
  // Files deleted in the working tree are still listed by --cached: a clone would not have them.
  const files = [...new Set(stdout.split('\0').filter((f) => f && existsSync(join(repoRoot, f))))];
  await mkdir(into, { recursive: true });
  const list = join(into, '..', `.${process.pid}-files`);
  await writeFile(list, files.join('\0'));
  try {
    await run('bash', ['-c', 'set -o pipefail; tar -C "$1" --null -T "$2" -cf - | tar -C "$3" -xf -', 'copy', repoRoot, list, into], { maxBuffer: 16 << 20 });
  } finally {
    await rm(list, { force: true });
  }
  return into;
}
