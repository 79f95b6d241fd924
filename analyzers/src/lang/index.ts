/** Every language-package analyzer, in one list for the registry. */
import type { Analyzer } from '../analyzer.ts';
import { npmInstalledAnalyzer } from './npm/installed.ts';
import { npmLockfileAnalyzer } from './npm/lockfiles.ts';
import { pythonInstalledAnalyzer } from './python/installed.ts';
import { goBinaryAnalyzer } from './golang/analyzer.ts';
import { javaArchiveAnalyzer } from './java/analyzer.ts';

export const langAnalyzers: Analyzer[] = [npmInstalledAnalyzer, npmLockfileAnalyzer, pythonInstalledAnalyzer, goBinaryAnalyzer, javaArchiveAnalyzer];
