/**
 * Pairs the extension with a running helper the way a person does: the settings page the
 * extension opens on install → helper URL → Pair → `shipshape pair CODE` on this machine.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { HelperProcess } from '../../support/helper-process.ts';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Returns the pairing code and the CLI's output once the options page says "Paired". */
export async function pairFromOptions(options: Page, helper: HelperProcess): Promise<{ code: string; approval: string }> {
  await options.getByLabel('Helper URL').fill(helper.url);
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByRole('button', { name: 'Pair' }).click();
  const code = (await options.getByTestId('pair-code').textContent({ timeout: 15_000 }))!.trim();
  const approval = await approveCode(helper, code);
  await options.getByRole('heading', { name: 'Paired' }).waitFor({ timeout: 15_000 });
  return { code, approval };
}

/** `shipshape pair CODE` on this machine, as the person at it does; returns the CLI's output. */
export async function approveCode(helper: HelperProcess, code: string): Promise<string> {
  const { stdout } = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'helper/src/cli/main.ts'), 'pair', code, '--port', String(helper.port), '--data-dir', helper.dataDir], { cwd: repoRoot, timeout: 60_000 });
  return stdout;
}
