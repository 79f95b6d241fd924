/**
 * The analyzers of a scan, as a layer worker builds them: the recipe module the helper hands
 * the analyzers' worker pool (analyzers/src/parallel). The same list `analyzer-seam.ts` runs
 * on this thread, built from the same detection recipe, so a layer gives the same result
 * wherever it was walked.
 */
import type { Analyzer, AnalyzerCategory } from '@shipshape/analyzers/analyzer.ts';
import { defaultAnalyzers } from '@shipshape/analyzers/registry.ts';
import { createClamavAnalyzer } from '../clamav/clamav-analyzer.ts';
import { loadDetection, type DetectionRecipe, type LoadedDetection } from './detection-loader.ts';

export interface WorkerAnalyzerOptions {
  categories: AnalyzerCategory[];
  detection: DetectionRecipe;
}

export function analyzersFor(categories: AnalyzerCategory[], d: LoadedDetection): Analyzer[] {
  const list = defaultAnalyzers({ categories, sensitive: d.sensitive, malware: d.malware });
  if (d.clamd && categories.includes('malware')) list.push(createClamavAnalyzer({ address: d.clamd }));
  return list;
}

export async function createAnalyzers(options: WorkerAnalyzerOptions): Promise<Analyzer[]> {
  return analyzersFor(options.categories, await loadDetection(options.detection));
}
