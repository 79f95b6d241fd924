export { createSensitiveAnalyzer, secretDetector, type SensitiveAnalyzerOptions } from './analyzer.ts';
export { scanImageConfig, imageConfigSecretsPostProcessor } from './image-config.ts';
export { parseRuleFile, mergeRuleSets, RuleFileError, type RuleSet, type SecretRule } from './rules.ts';
export { loadSecretRuleFile } from './rule-file.ts';
export { Re2SyntaxError, compileRe2, translateRe2 } from './re2-to-js.ts';
export { createSecretMask, maskSecret, maskKeyId, MASKED_VALUE, type SecretMask } from './mask.ts';
export { maskAll } from './redact.ts';
export { scanImageConfigDetailed, type ConfigForSecrets } from './image-config.ts';
export { SecretDetector } from './detector.ts';
