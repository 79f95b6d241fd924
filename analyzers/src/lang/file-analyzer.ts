/**
 * Most language inventories turn one manifest into a list of packages. This builds the
 * analyzer around such a parser so each ecosystem only writes the parsing, and bad input
 * becomes a note (never a crash, never a half-built list).
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '../analyzer.ts';
import { packageFinding, type LangEcosystem, type LangPackage } from './finding.ts';

export interface LangFileAnalyzerSpec {
  name: string;
  version: number;
  ecosystem: LangEcosystem;
  maxFileSize: number;
  /** Path test, run for every entry: keep it to string checks. */
  matches(path: string, meta: FileMeta): boolean;
  parse(content: Buffer, path: string, ctx: AnalyzerContext): LangPackage[] | Promise<LangPackage[]>;
}

export function langFileAnalyzer(spec: LangFileAnalyzerSpec): Analyzer {
  return {
    name: spec.name,
    version: spec.version,
    category: 'packages',
    maxFileSize: spec.maxFileSize,
    // Hard links carry the target's content (the walker resolves them).
    required: (path, meta) => (meta.kind === 'file' || meta.kind === 'hardlink') && spec.matches(path, meta),
    async analyze(file: LayerFile, ctx: AnalyzerContext): Promise<Finding[]> {
      try {
        const packages = await spec.parse(file.content, file.path, ctx);
        return packages.map((pkg) => packageFinding(spec.ecosystem, file.path, pkg));
      } catch (error) {
        ctx.note(`${spec.name}: cannot read ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    },
  };
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Parse JSON that must be an object; a clear error otherwise. */
export function parseJsonObject(content: Buffer): Record<string, unknown> {
  const value: unknown = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  if (!isRecord(value)) throw new Error('expected a JSON object');
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
