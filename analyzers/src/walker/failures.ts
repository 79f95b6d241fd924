/**
 * An analyzer that throws (the contract says it should not) leaves a note, and the scan goes
 * on; the category it serves was then not fully evaluated. The note's wording lives here with
 * its reader, so the helper can tell "this category is incomplete" from the notes alone
 * (cached layers keep their notes, so a cached re-scan says the same).
 */
import type { AnalyzerCategory } from '../analyzer.ts';

/**
 * An error's message without the input it quotes: `JSON.parse` and other parsers echo a
 * piece of the text they choked on, and that text is the image's file (it may hold a secret).
 */
export function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/"(?:[^"\\\n]|\\.)*"(?:\.\.\.)?/g, '"…"').replace(/\n[\s\S]*$/, '');
}

export function analyzerFailureNote(analyzer: string, where: string, error: unknown): string {
  return `${analyzer} failed ${where}: ${failureMessage(error)}`;
}

/** The analyzers a report's notes say failed, with the category each serves. */
export function failedAnalyzers(notes: readonly string[], analyzers: ReadonlyArray<{ name: string; category: AnalyzerCategory }>): Array<{ name: string; category: AnalyzerCategory; note: string }> {
  const out: Array<{ name: string; category: AnalyzerCategory; note: string }> = [];
  for (const note of notes) {
    const analyzer = analyzers.find((a) => note.startsWith(`${a.name} failed on `) || note.startsWith(`${a.name} failed at the end of the layer`));
    if (analyzer) out.push({ name: analyzer.name, category: analyzer.category, note });
  }
  return out;
}
