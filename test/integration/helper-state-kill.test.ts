/**
 * Crashes lose nothing: the helper is killed with SIGKILL at random moments while its state
 * file is being rewritten (tags churn on an image of ours, so every Docker event is a state
 * write), 20 times. After every kill the file is complete and valid, nothing was moved aside
 * as corrupt, and the restarted helper still knows the images it knew.
 */
import { writeImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { State } from '@shipshape/helper/state/schema.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { docker, loadImageArchive, removeImages } from '../support/docker.ts';
import { startHelper, type HelperProcess } from '../support/helper-process.ts';

const PREFIX = 'shipshape-test/helper-kill-';
const KILLS = Number(process.env.SHIPSHAPE_KILLS ?? 20);
let dir: string;
let imageId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipshape-helper-kill-'));
  await removeImages(PREFIX);
  const archive = join(dir, 'image.tar');
  imageId = (await writeImageArchive({ tags: [`${PREFIX}churn:0`], layers: [{ files: [{ path: '/kill/me', content: 'x' }] }] }, archive)).imageId;
  await loadImageArchive(archive);
});
afterAll(async () => {
  await removeImages(PREFIX);
  await rm(dir, { recursive: true, force: true });
});

/** Adds and removes tags as fast as Docker allows until stopped. */
function churnTags(): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    for (let i = 1; running; i++) {
      const tag = `t${i % 5}`;
      await docker.getImage(imageId).tag({ repo: `${PREFIX}churn`, tag }).catch(() => undefined);
      if (i % 2 === 0) await docker.getImage(`${PREFIX}churn:t${(i - 1) % 5}`).remove().catch(() => undefined);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

it(`state.json survives ${KILLS} SIGKILLs during writes`, { timeout: 1_800_000 }, async () => {
  const dataDir = join(dir, 'data');
  const stopChurn = churnTags();
  let helper: HelperProcess | null = null;
  let survived = 0;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      helper = await startHelper({ dataDir });
      await new Promise((r) => setTimeout(r, Math.random() * 1500));
      await helper.kill('SIGKILL');
      helper = null;
      const text = await readFile(join(dataDir, 'state.json'), 'utf8');
      const state = State.parse(JSON.parse(text));
      if (!state.images[imageId]) {
        const inDocker = await docker.getImage(imageId).inspect().then((i) => i.RepoTags, (e: Error) => e.message);
        throw new Error(`kill ${kill}: image missing from state (${Object.keys(state.images).length} images, retired: ${imageId in state.retired}); Docker says ${JSON.stringify(inDocker)}`);
      }
      expect((await readdir(dataDir)).filter((f) => f.includes('corrupt'))).toEqual([]);
      survived++;
    }
  } finally {
    await helper?.kill('SIGKILL');
    await stopChurn();
  }
  expect(survived).toBe(KILLS);
  // Temp files of killed writes may remain (they are never read); the state itself is whole.
  const restarted = await startHelper({ dataDir });
  try {
    const detail = await restarted.api(`/api/images/${imageId}`);
    expect(detail.status).toBe(200);
  } finally {
    await restarted.stop();
  }
  process.stdout.write(`helper-state-kill: ${survived} SIGKILLs during state writes survived\n`);
});
