/**
 * What zod cannot check in PUT /api/settings/detection: the rule file must exist and parse as
 * gitleaks TOML (every regex translatable), and the clamd address must be a socket path or
 * host:port. Refused with a 400 naming the field, so a bad file never reaches a scan.
 */
import type { DetectionSettings } from '@shipshape/shared';
import { loadSecretRuleFile } from '@shipshape/analyzers/sensitive/index.ts';
import { parseClamdAddress } from '../clamav/clamd-client.ts';
import { HttpError } from '../http/errors.ts';

export async function checkDetectionSettings(settings: DetectionSettings): Promise<DetectionSettings> {
  if (settings.secretRulesFile) {
    const problem = await loadSecretRuleFile(settings.secretRulesFile).then(
      // Rules with untranslatable regexes are skipped with a note; a file of nothing but those is refused.
      (set) => (set.rules.length === 0 ? `no usable rule in ${settings.secretRulesFile}${set.notes.length ? ` (${set.notes.join('; ')})` : ''}` : null),
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
