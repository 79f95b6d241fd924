/**
 * What zod cannot check in PUT /api/settings/detection: the rule file must lie in an import
 * folder (`<data dir>/imports`, or one named with `serve --import-dir`), be a regular file, and
 * be a gitleaks-format file Shipshape can honour in full (else the loader's error names the rule
 * and the construct), with at least one rule (it replaces the built-in set); clamd must be a
 * unix socket or a loopback address (anything else only from the command line). Refused with a
 * 400 naming the field and the problem, never quoting the file, so a bad file never reaches a
 * scan and the API cannot be used to read host files.
 */
import type { DetectionSettings } from '@shipshape/shared';
import { loadSecretRuleFile } from '@shipshape/analyzers/sensitive/index.ts';
import { apiClamdProblem } from '../clamav/clamd-policy.ts';
import type { ImportFolders } from '../files/import-folders.ts';
import { HttpError } from '../http/errors.ts';

export async function checkDetectionSettings(settings: DetectionSettings, folders: ImportFolders): Promise<DetectionSettings> {
  if (settings.secretRulesFile) {
    const real = await folders.resolve(settings.secretRulesFile, 'secretRulesFile', 'file').catch((error: Error) => {
      throw new HttpError(400, 'bad_request', error.message, 'secretRulesFile');
    });
    const problem = await loadSecretRuleFile(real).then(
      // A file without rules would leave scans with no secret rule at all (it replaces the built-in set).
      (set) =>
        set.rules.length === 0
          ? `no rule in ${settings.secretRulesFile}: a rule file replaces the built-in rules; add rules, or keep the built-in ones with [extend] useDefault = true`
          : null,
      (error: Error) => error.message,
    );
    if (problem) throw new HttpError(400, 'bad_request', `secretRulesFile: ${problem}`, 'secretRulesFile');
  }
  if (settings.clamd) {
    const problem = apiClamdProblem(settings.clamd);
    if (problem) throw new HttpError(400, 'bad_request', `clamd: ${problem}`, 'clamd');
  }
  return { ...settings, disabledRules: [...new Set(settings.disabledRules)] };
}
