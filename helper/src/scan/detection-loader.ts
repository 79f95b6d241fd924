/**
 * The helper's detection settings (GET/PUT /api/settings/detection) turned into analyzer
 * options for a scan: the user's gitleaks rule file, disabled rules, secret size cap, clamd,
 * and the ClamAV files in `<data dir>/signatures/` (always read). Parsing is memoised on the
 * settings, the rule file's content and the signature files' size and mtime, so a scan queue does not re-read them per image,
 * and an edited file is picked up by the next scan.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DetectionSettings } from '@shipshape/shared';
import type { MalwareAnalyzerOptions } from '@shipshape/analyzers/malware/analyzer.ts';
import type { SensitiveAnalyzerOptions } from '@shipshape/analyzers/sensitive/index.ts';
import { detectionScanOptions } from '../clamav/detection-options.ts';

/**
 * The detection settings of a scan as plain data: what a layer worker loads its own copy of
 * the analyzers from (parsed rule sets cannot cross a thread).
 */
export interface DetectionRecipe {
  secretRuleFiles: string[];
  disabledRules: string[];
  /** Its `signatures/` folder is read. */
  dataDir: string | null;
  /** More folders of ClamAV files (the CLI's --signatures). */
  signatureDirs?: string[];
  maxFileSizeMb: number | null;
  clamd: string | null;
}

export interface LoadedDetection {
  recipe: DetectionRecipe;
  sensitive: SensitiveAnalyzerOptions;
  malware: MalwareAnalyzerOptions;
  clamd: string | null;
  /**
   * What the analyzer versions do not already say, for the layer cache key: the rule file's
   * content (the secrets version hashes rule ids and regexes only, not keywords, entropy or
   * allowlists), the secret size cap, and the clamd address. Signatures are in the malware
   * analyzer's version.
   */
  secretsStamp: string;
  clamdStamp: string;
}

export type DetectionSource = () => Promise<LoadedDetection>;

/** The built-ins only (unit tests, and the seam's default). */
export const builtinDetection: DetectionSource = async () => ({
  recipe: { secretRuleFiles: [], disabledRules: [], dataDir: null, maxFileSizeMb: null, clamd: null },
  sensitive: {},
  malware: {},
  clamd: null,
  secretsStamp: '',
  clamdStamp: '',
});

export function signatureDir(dataDir: string): string {
  return join(dataDir, 'signatures');
}

export function createDetectionSource(dataDir: string, settings: () => DetectionSettings): DetectionSource {
  let memo: { stamp: string; loaded: Promise<LoadedDetection> } | null = null;
  return async () => {
    const current = settings();
    const stamp = JSON.stringify([current, await contentStamp(current.secretRulesFile), await dirStamp(signatureDir(dataDir))]);
    if (memo?.stamp !== stamp) {
      memo = { stamp, loaded: load(dataDir, current) };
      // A failed load (rule file deleted or broken after it was saved) is retried next scan.
      memo.loaded.catch(() => {
        if (memo?.stamp === stamp) memo = null;
      });
    }
    return memo.loaded;
  };
}

function load(dataDir: string, settings: DetectionSettings): Promise<LoadedDetection> {
  return loadDetection({
    secretRuleFiles: settings.secretRulesFile ? [settings.secretRulesFile] : [],
    disabledRules: settings.disabledRules,
    dataDir,
    maxFileSizeMb: settings.maxFileSizeMb ?? null,
    clamd: settings.clamd,
  });
}

/** Reads and parses what a recipe names (rule files, signatures). */
export async function loadDetection(recipe: DetectionRecipe): Promise<LoadedDetection> {
  const options = await detectionScanOptions({
    secretRuleFiles: recipe.secretRuleFiles,
    disabledRules: recipe.disabledRules,
    ...(recipe.dataDir ? { dataDir: recipe.dataDir } : {}),
    ...(recipe.signatureDirs?.length ? { signatureDirs: recipe.signatureDirs } : {}),
  });
  const maxFileSize = recipe.maxFileSizeMb ? recipe.maxFileSizeMb * 1024 * 1024 : undefined;
  const sensitive: SensitiveAnalyzerOptions = { ...options.sensitive, ...(maxFileSize ? { maxFileSize } : {}) };
  const ruleText = (await Promise.all(recipe.secretRuleFiles.map((f) => readFile(f, 'utf8')))).join('\n');
  const secretsStamp =
    ruleText || maxFileSize ? `secrets:${sha256(ruleText).slice(0, 16)}:${maxFileSize ?? 'default'}` : '';
  return {
    recipe,
    sensitive,
    malware: options.malware ?? {},
    clamd: recipe.clamd,
    secretsStamp,
    clamdStamp: recipe.clamd ? `clamd:${recipe.clamd}` : '',
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The rule file is small and read whole: an edit within the same millisecond still counts. */
async function contentStamp(path: string | null): Promise<string> {
  if (!path) return '';
  return readFile(path, 'utf8').then(sha256, () => 'missing');
}

async function fileStamp(path: string): Promise<string> {
  const s = await stat(path).catch(() => null);
  return s ? `${s.size}:${s.mtimeMs}` : 'missing';
}

async function dirStamp(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const parts = await Promise.all(names.sort().map(async (n) => `${n}=${await fileStamp(join(dir, n))}`));
  return parts.join(',');
}
