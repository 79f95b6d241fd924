/**
 * What a scan needs for secrets and malware beyond the built-in rules: the user's
 * gitleaks-format rule files and disabled rule ids, ClamAV databases (`<data dir>/signatures`
 * and `--signatures DIR`), and a clamd address (`--clamd`, or SHIPSHAPE_CLAMD). Shared by the
 * CLI `scan` command and the helper's scan engine.
 */
import { join, resolve } from 'node:path';
import type { Analyzer, AnalyzerCategory } from '@shipshape/analyzers/analyzer.ts';
import { defaultAnalyzers } from '@shipshape/analyzers/registry.ts';
import { loadSignatureDir, type SignatureDb } from '@shipshape/analyzers/malware/index.ts';
import type { MalwareAnalyzerOptions } from '@shipshape/analyzers/malware/analyzer.ts';
import { loadSecretRuleFile, type RuleSet, type SensitiveAnalyzerOptions } from '@shipshape/analyzers/sensitive/index.ts';
import { createClamavAnalyzer } from './clamav-analyzer.ts';

export interface DetectionSettings {
  /** Gitleaks-format TOML files. */
  secretRuleFiles?: string[];
  /** Rule ids to turn off (built-in, user or file rules). */
  disabledRules?: string[];
  /** Folders of ClamAV .hdb/.hsb/.ndb files. */
  signatureDirs?: string[];
  /** The helper's data dir: its `signatures/` folder is read when present. */
  dataDir?: string;
  /** clamd socket path or host:port. */
  clamd?: string;
}

export interface DetectionScanOptions {
  sensitive?: SensitiveAnalyzerOptions;
  malware?: MalwareAnalyzerOptions;
  /** Set only when an extra analyzer (clamd) joins the defaults. */
  analyzers?: Analyzer[];
}

/** Loads the user's rules and signatures; throws with the file name when one is unreadable or invalid. */
export async function detectionScanOptions(settings: DetectionSettings, categories?: AnalyzerCategory[]): Promise<DetectionScanOptions> {
  const ruleSets: RuleSet[] = [];
  for (const file of settings.secretRuleFiles ?? []) ruleSets.push(await loadSecretRuleFile(resolve(file)));
  const dbs: SignatureDb[] = [];
  // The data dir's folder is read by the helper on the API's behalf: links out of it are not
  // followed. Folders named on the command line are the user's own choice.
  if (settings.dataDir) dbs.push(await loadSignatureDir(join(settings.dataDir, 'signatures'), { confined: true }));
  for (const dir of (settings.signatureDirs ?? []).map((d) => resolve(d))) dbs.push(await loadSignatureDir(dir));
  const sensitive: SensitiveAnalyzerOptions = {
    ...(ruleSets.length > 0 ? { userRuleSets: ruleSets } : {}),
    ...(settings.disabledRules?.length ? { disabledRules: settings.disabledRules } : {}),
  };
  const malware: MalwareAnalyzerOptions = dbs.length > 0 ? { extraDbs: dbs } : {};
  const options: DetectionScanOptions = { sensitive, malware };
  const wantsMalware = !categories || categories.includes('malware');
  if (settings.clamd && wantsMalware) {
    options.analyzers = [
      ...defaultAnalyzers({ ...(categories ? { categories } : {}), sensitive, malware }),
      createClamavAnalyzer({ address: settings.clamd }),
    ];
  }
  return options;
}
