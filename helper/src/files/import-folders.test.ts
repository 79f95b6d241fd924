import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFolders, OutsideImportFoldersError } from './import-folders.ts';

let root: string;
let folders: ImportFolders;
const secret = 'not-for-the-api-7d1c';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'import-folders-'));
  await mkdir(join(root, 'data'));
  await mkdir(join(root, 'extra', 'sub'), { recursive: true });
  await writeFile(join(root, 'outside.txt'), secret);
  folders = new ImportFolders(join(root, 'data'), [join(root, 'extra')]);
  folders.ensure();
  await writeFile(join(root, 'data', 'imports', 'rules.toml'), '[[rules]]\n');
  await symlink(join(root, 'outside.txt'), join(root, 'data', 'imports', 'escape.toml'));
  await symlink(join(root, 'extra', 'sub'), join(root, 'data', 'imports', 'linked-in'));
  await symlink(root, join(root, 'extra', 'up'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const refusal = async (path: string) => {
  const error = await folders.resolve(path, 'source').then(() => null, (e: Error) => e);
  expect(error).toBeInstanceOf(OutsideImportFoldersError);
  expect(error!.message).not.toContain(secret);
  return error!.message;
};

describe('import folders', () => {
  it('accepts files and folders inside, also through links that stay inside', async () => {
    expect(await folders.resolve(join(root, 'data', 'imports', 'rules.toml'), 'f', 'file')).toBe(join(root, 'data', 'imports', 'rules.toml'));
    expect(await folders.resolve(join(root, 'data', 'imports', 'linked-in'), 'f')).toBe(join(root, 'extra', 'sub'));
    expect(await folders.resolve(join(root, 'extra'), 'f')).toBe(join(root, 'extra'));
  });

  it('refuses paths outside, links that leave, relative paths, climbing and non-files, naming the problem only', async () => {
    expect(await refusal('/etc/shadow')).toMatch(/^source: \/etc\/shadow is outside the folders the helper may read files from/);
    expect(await refusal(join(root, 'outside.txt'))).toMatch(/is outside/);
    expect(await refusal(join(root, 'data', 'imports', 'escape.toml'))).toMatch(/is a link to a place outside/);
    expect(await refusal(join(root, 'extra', 'up', 'outside.txt'))).toMatch(/is a link to a place outside/);
    expect(await refusal(join(root, 'data', 'imports', '..', '..', 'outside.txt'))).toMatch(/is outside/);
    expect(await refusal('data/imports/rules.toml')).toMatch(/must be an absolute path/);
    expect(await refusal(join(root, 'data', 'imports', 'missing.toml'))).toMatch(/does not exist/);
    const dir = await folders.resolve(join(root, 'extra'), 'f', 'file').then(() => null, (e: Error) => e.message);
    expect(dir).toMatch(/is not a regular file/);
  });
});
