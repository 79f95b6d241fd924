export { createSensitiveAnalyzer, secretDetector, type SensitiveAnalyzerOptions } from './analyzer.ts';
export { scanImageConfig, imageConfigSecretsPostProcessor } from './image-config.ts';
export { parseRuleFile, RuleFileError, type RuleSet, type SecretRule } from './rules.ts';
export { resolveRuleSets, withoutRules } from './rule-sets.ts';
export { loadSecretRuleFile, resolveRuleFile } from './rule-file.ts';
export { compilePattern, RegexSyntaxError } from './regex-engine.ts';
