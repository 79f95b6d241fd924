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
import { apiClamdProblem } from '../clamav/clamd-policy.ts';
import { detectionScanOptions } from '../clamav/detection-options.ts';
import type { ImportFolders } from '../files/import-folders.ts';

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
  /** Key of the secret masks' fingerprints, hex (plain data, like the rest). */
  maskKey?: string;
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

/** Where the loader may read from, and what the command line set (`serve --clamd`). */
export interface DetectionContext {
  folders: ImportFolders;
  /** A clamd from the command line or environment: used when the settings name none. */
  clamd?: string | null;
  /** Key of the secret masks' fingerprints (one per data dir, so masks stay stable). */
  maskKey?: Uint8Array;
  /** Told the loaded secret rules (the inventory masks with them too). */
  onRules?: (sensitive: SensitiveAnalyzerOptions, stamp: string) => void;
}

export function createDetectionSource(dataDir: string, settings: () => DetectionSettings, context: DetectionContext): DetectionSource {
  let memo: { stamp: string; loaded: Promise<LoadedDetection> } | null = null;
  return async () => {
    const current = settings();
    // The rule file is re-checked at every scan: a setting saved by an older helper, or a file
    // replaced by a link since, is refused here as it would be by the API.
    const rulesFile = current.secretRulesFile ? await context.folders.resolve(current.secretRulesFile, 'secretRulesFile', 'file') : null;
    const stamp = JSON.stringify([current, await contentStamp(rulesFile), await dirStamp(signatureDir(dataDir))]);
    if (memo?.stamp !== stamp) {
      memo = { stamp, loaded: load(dataDir, current, rulesFile, context) };
      memo.loaded.then((d) => context.onRules?.(d.sensitive, d.secretsStamp), () => undefined);
      // A failed load (rule file deleted or broken after it was saved) is retried next scan.
      memo.loaded.catch(() => {
        if (memo?.stamp === stamp) memo = null;
      });
    }
    return memo.loaded;
  };
}

async function load(dataDir: string, settings: DetectionSettings, rulesFile: string | null, context: DetectionContext): Promise<LoadedDetection> {
  // A clamd saved through the API by an older helper is held to today's rule.
  const refused = settings.clamd ? apiClamdProblem(settings.clamd) : null;
  if (refused) throw new Error(`clamd: ${refused}`);
  return loadDetection({
    secretRuleFiles: rulesFile ? [rulesFile] : [],
    disabledRules: settings.disabledRules,
    dataDir,
    maxFileSizeMb: settings.maxFileSizeMb ?? null,
    clamd: settings.clamd ?? context.clamd ?? null,
    ...(context.maskKey ? { maskKey: Buffer.from(context.maskKey).toString('hex') } : {}),
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
  const maskKey = recipe.maskKey ? Buffer.from(recipe.maskKey, 'hex') : undefined;
  const sensitive: SensitiveAnalyzerOptions = { ...options.sensitive, ...(maxFileSize ? { maxFileSize } : {}), ...(maskKey ? { maskKey } : {}) };
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
