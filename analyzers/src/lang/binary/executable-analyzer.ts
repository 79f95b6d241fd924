/**
 * Analyzers of ELF executables (Go build info, cargo-auditable data). `required` only sees
 * metadata, so they take executables up to a size cap; `analyze` checks the ELF magic first
 * and leaves everything else at once.
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '../../analyzer.ts';
import { packageFinding, type LangEcosystem, type LangPackage } from '../finding.ts';
import { isElf } from './elf.ts';

/** Large enough for kubectl/dockerd-sized binaries, small enough to bound one read. */
export const MAX_BINARY_SIZE = 200 * 1024 * 1024;

/**
 * Executables big enough to be ELF (larger than `MAX_BINARY_SIZE`, the walker notes the skip).
 * Hard links count too: the walker hands over the target's content, and their tar size is 0.
 */
export function isCandidateExecutable(meta: FileMeta): boolean {
  if ((meta.mode & 0o111) === 0) return false;
  return (meta.kind === 'file' && meta.size >= 64) || meta.kind === 'hardlink';
}

export interface ExecutableAnalyzerSpec {
  name: string;
  version: number;
  ecosystem: LangEcosystem;
  /** Packages embedded in the ELF file; undefined when it carries none. May throw on corrupt data. */
  read(content: Buffer): LangPackage[] | undefined;
}

export function executableAnalyzer(spec: ExecutableAnalyzerSpec): Analyzer {
  return {
    name: spec.name,
    version: spec.version,
    category: 'packages',
    maxFileSize: MAX_BINARY_SIZE,
    required: (_path, meta) => isCandidateExecutable(meta),
    analyze(file: LayerFile, ctx: AnalyzerContext): Finding[] {
      if (!isElf(file.content)) return [];
      try {
        return (spec.read(file.content) ?? []).map((pkg) => packageFinding(spec.ecosystem, file.path, pkg));
      } catch (error) {
        ctx.note(`${spec.name}: cannot read ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    },
  };
}
