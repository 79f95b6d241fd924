/** The layer cache key follows the user's detection settings: any change that alters findings misses the cache. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DetectionSettings } from '@shipshape/shared';
import { defaultAnalyzerSeam } from './analyzer-seam.ts';
import { ImportFolders } from '../files/import-folders.ts';
import { createDetectionSource, signatureDir } from './detection-loader.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('analyzer seam cache key', () => {
  it('changes with the rule file content, disabled rules, size cap, signatures and clamd; not for inventory-only scans', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'seam-key-'));
    dirs.push(dataDir);
    let settings = DetectionSettings.parse({});
    const folders = new ImportFolders(dataDir);
    folders.ensure();
    const seam = defaultAnalyzerSeam(createDetectionSource(dataDir, () => settings, { folders }));
    const all = ['os', 'packages', 'sensitive', 'malware'] as const;
    const key = async (categories: readonly ('os' | 'packages' | 'sensitive' | 'malware')[] = all) => (await seam.prepare([...categories])).cacheKey;

    const builtin = await key();
    const inventory = await key(['os', 'packages']);
    expect(await key()).toBe(builtin);

    const rules = join(folders.folders[0]!, 'mine.toml');
    await writeFile(rules, `[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = ["acme_"]\n`);
    settings = { ...settings, secretRulesFile: rules };
    const withRules = await key();
    expect(withRules).not.toBe(builtin);
    // Same id and regex, another keyword: the secrets analyzer version alone would not change.
    await writeFile(rules, `[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = ["acme"]\n`);
    const editedRules = await key();
    expect(editedRules).not.toBe(withRules);

    settings = { ...settings, disabledRules: ['acme'] };
    const disabled = await key();
    expect(disabled).not.toBe(editedRules);
    settings = { ...settings, maxFileSizeMb: 2 };
    const capped = await key();
    expect(capped).not.toBe(disabled);

    await mkdir(signatureDir(dataDir));
    await writeFile(join(signatureDir(dataDir), 'mine.hdb'), `${'0'.repeat(32)}:10:Test.Trojan.Mine-1\n`);
    const signed = await key();
    expect(signed).not.toBe(capped);

    settings = { ...settings, clamd: '/run/clamav/clamd.ctl' };
    const clamd = await key();
    expect(clamd).not.toBe(signed);
    expect(clamd).toContain('malware/clamav@');

    expect(await key(['os', 'packages'])).toBe(inventory);
  });

  it('fails the scan with the file name when the saved rule file was broken afterwards, and recovers when fixed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'seam-key-'));
    dirs.push(dataDir);
    const folders = new ImportFolders(dataDir);
    folders.ensure();
    const rules = join(folders.folders[0]!, 'mine.toml');
    await writeFile(rules, '[[rules]\n');
    const seam = defaultAnalyzerSeam(createDetectionSource(dataDir, () => DetectionSettings.parse({ secretRulesFile: rules }), { folders }));
    await expect(seam.prepare(['os', 'sensitive'])).rejects.toThrow(/mine\.toml/);
    await writeFile(rules, `[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\n`);
    await expect(seam.prepare(['os', 'sensitive'])).resolves.toMatchObject({ cacheKey: expect.stringContaining('secrets:') });
  });

  it('refuses a saved rule file outside the import folders, and a clamd elsewhere saved through the API, at scan time too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'seam-key-'));
    dirs.push(dataDir);
    const folders = new ImportFolders(dataDir);
    folders.ensure();
    const outside = join(dataDir, 'outside.toml');
    await writeFile(outside, `[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\n`);
    const rulesSeam = defaultAnalyzerSeam(createDetectionSource(dataDir, () => DetectionSettings.parse({ secretRulesFile: outside }), { folders }));
    await expect(rulesSeam.prepare(['os', 'sensitive'])).rejects.toThrow(/secretRulesFile: .*outside\.toml is outside the folders the helper may read files from/);
    const clamdSeam = defaultAnalyzerSeam(createDetectionSource(dataDir, () => DetectionSettings.parse({ clamd: '10.1.2.3:3310' }), { folders }));
    await expect(clamdSeam.prepare(['os', 'malware'])).rejects.toThrow(/clamd: '10\.1\.2\.3:3310' is not a unix socket or a loopback address/);
    // The same clamd from the command line is the user's choice.
    const cli = defaultAnalyzerSeam(createDetectionSource(dataDir, () => DetectionSettings.parse({}), { folders, clamd: '10.1.2.3:3310' }));
    expect((await cli.prepare(['os', 'malware'])).cacheKey).toContain('clamd:10.1.2.3:3310');
  });
});
