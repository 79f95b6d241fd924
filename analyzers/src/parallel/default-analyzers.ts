/**
 * The recipe for the built-in analyzers (no user rule files or signatures): what the CLI and
 * tests hand the layer workers. The helper has its own recipe, which also loads the user's
 * detection settings (helper/src/scan/worker-analyzers.ts).
 */
import type { Analyzer, AnalyzerCategory } from '../analyzer.ts';
import { defaultAnalyzers } from '../registry.ts';
import { maskKeyId } from '../sensitive/mask.ts';
import type { AnalyzerRecipe } from './protocol.ts';

export interface BuiltinRecipeOptions {
  categories?: AnalyzerCategory[];
  /**
   * The secret masks' key, hex. Give the one the caller's own thread masks with: without it a
   * worker masks with a key of its own, and one secret would show two fingerprints in a report.
   */
  maskKey?: string;
}

export function createAnalyzers(options: BuiltinRecipeOptions): Analyzer[] {
  return defaultAnalyzers({
    ...(options.categories ? { categories: options.categories } : {}),
    ...(options.maskKey ? { sensitive: { maskKey: Buffer.from(options.maskKey, 'hex') } } : {}),
  });
}

/** The module a pool running built-in recipes bundles (`new LayerWorkerPool({ recipeModules: [builtinRecipeModule] })`). */
export const builtinRecipeModule = new URL('./default-analyzers.ts', import.meta.url).href;

export function builtinRecipe(categories?: AnalyzerCategory[], maskKey?: Uint8Array): AnalyzerRecipe {
  const hex = maskKey ? Buffer.from(maskKey).toString('hex') : undefined;
  const options: BuiltinRecipeOptions = { ...(categories ? { categories } : {}), ...(hex ? { maskKey: hex } : {}) };
  return { module: builtinRecipeModule, options, key: `builtin:${(categories ?? ['all']).join(',')}${hex ? `:${maskKeyId(maskKey!)}` : ''}` };
}
