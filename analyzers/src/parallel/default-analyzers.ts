/**
 * The recipe for the built-in analyzers (no user rule files or signatures): what the CLI and
 * tests hand the layer workers. The helper has its own recipe, which also loads the user's
 * detection settings (helper/src/scan/worker-analyzers.ts).
 */
import type { Analyzer, AnalyzerCategory } from '../analyzer.ts';
import { defaultAnalyzers } from '../registry.ts';
import type { AnalyzerRecipe } from './protocol.ts';

export interface BuiltinRecipeOptions {
  categories?: AnalyzerCategory[];
}

export function createAnalyzers(options: BuiltinRecipeOptions): Analyzer[] {
  return defaultAnalyzers(options.categories ? { categories: options.categories } : {});
}

/** The module a pool running built-in recipes bundles (`new LayerWorkerPool({ recipeModules: [builtinRecipeModule] })`). */
export const builtinRecipeModule = new URL('./default-analyzers.ts', import.meta.url).href;

export function builtinRecipe(categories?: AnalyzerCategory[]): AnalyzerRecipe {
  return { module: builtinRecipeModule, options: categories ? { categories } : {}, key: `builtin:${(categories ?? ['all']).join(',')}` };
}
