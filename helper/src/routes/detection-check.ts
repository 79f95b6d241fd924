/**
 * What zod cannot check in PUT /api/settings/detection: the rule file must exist and be a
 * gitleaks-format file Shipshape can honour in full (else the loader's error names the rule and
 * the construct), with at least one rule (it replaces the built-in set), and the clamd address
 * must be a socket path or host:port. Refused with a 400 naming the field, so a bad file never
 * reaches a scan.
 */
import type { DetectionSettings } from '@shipshape/shared';
import { loadSecretRuleFile } from '@shipshape/analyzers/sensitive/index.ts';
import { parseClamdAddress } from '../clamav/clamd-client.ts';
import { HttpError } from '../http/errors.ts';

export async function checkDetectionSettings(settings: DetectionSettings): Promise<DetectionSettings> {
  if (settings.secretRulesFile) {
    const problem = await loadSecretRuleFile(settings.secretRulesFile).then(
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
    try {
      parseClamdAddress(settings.clamd);
    } catch (error) {
      throw new HttpError(400, 'bad_request', `clamd: ${(error as Error).message}`, 'clamd');
    }
  }
  return { ...settings, disabledRules: [...new Set(settings.disabledRules)] };
}
