/** Every language-package analyzer, in one list for the registry. */
import type { Analyzer } from '../analyzer.ts';
import { npmInstalledAnalyzer } from './npm/installed.ts';
import { npmLockfileAnalyzer } from './npm/lockfiles.ts';
import { pythonInstalledAnalyzer } from './python/installed.ts';
import { goBinaryAnalyzer } from './golang/analyzer.ts';
import { javaArchiveAnalyzer } from './java/analyzer.ts';
import { gemspecAnalyzer } from './ruby/gemspec.ts';
import { cargoLockAnalyzer } from './rust/cargo-lock.ts';
import { cargoAuditableAnalyzer } from './rust/auditable.ts';
import { composerAnalyzer } from './php/composer.ts';
import { dotnetDepsAnalyzer } from './dotnet/deps-json.ts';

export const langAnalyzers: Analyzer[] = [
  npmInstalledAnalyzer,
  npmLockfileAnalyzer,
  pythonInstalledAnalyzer,
  goBinaryAnalyzer,
  javaArchiveAnalyzer,
  gemspecAnalyzer,
  cargoLockAnalyzer,
  cargoAuditableAnalyzer,
  composerAnalyzer,
  dotnetDepsAnalyzer,
];
