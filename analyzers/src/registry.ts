/**
 * The analyzers a scan runs by default. Adding an analyzer is one import and one entry in
 * `allAnalyzers`; `defaultAnalyzers` builds those of the wanted categories.
 */
import type { Analyzer, AnalyzerCategory } from './analyzer.ts';
import { langAnalyzers } from './lang/index.ts';
import { osReleaseAnalyzer } from './os/analyzer.ts';
import { dpkgAnalyzer } from './os-packages/dpkg/analyzer.ts';
import { apkAnalyzer } from './os-packages/apk/analyzer.ts';
import { rpmAnalyzer } from './os-packages/rpm/analyzer.ts';
import { createSensitiveAnalyzer, type SensitiveAnalyzerOptions } from './sensitive/analyzer.ts';
import { createMalwareAnalyzer, type MalwareAnalyzerOptions } from './malware/analyzer.ts';

export interface DefaultAnalyzerOptions {
  /** Only analyzers of these categories (all when omitted). `os` is always included: packages need it. */
  categories?: AnalyzerCategory[];
  /** User secret rules, disabled rule ids, size cap. */
  sensitive?: SensitiveAnalyzerOptions;
  /** User ClamAV databases, size and archive caps. */
  malware?: MalwareAnalyzerOptions;
}

/** One entry per analyzer: its category, and how to build it (built only when its category is wanted: the secret rules and signatures take a while to compile). */
function allAnalyzers(opts: DefaultAnalyzerOptions): Array<{ category: AnalyzerCategory; build: () => Analyzer }> {
  const ready = (analyzer: Analyzer) => ({ category: analyzer.category, build: () => analyzer });
  return [
    // one entry per analyzer
    ready(osReleaseAnalyzer),
    ready(dpkgAnalyzer),
    ready(apkAnalyzer),
    ready(rpmAnalyzer),
    ...langAnalyzers.map(ready),
    { category: 'sensitive', build: () => createSensitiveAnalyzer(opts.sensitive) },
    { category: 'malware', build: () => createMalwareAnalyzer(opts.malware) },
  ];
}

export function defaultAnalyzers(opts: DefaultAnalyzerOptions = {}): Analyzer[] {
  const wanted = opts.categories ? new Set<AnalyzerCategory>([...opts.categories, 'os']) : null;
  return allAnalyzers(opts)
    .filter((entry) => !wanted || wanted.has(entry.category))
    .map((entry) => entry.build());
}
