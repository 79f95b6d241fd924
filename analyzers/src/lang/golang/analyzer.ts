/**
 * Go binaries: modules compiled in, from the build info the linker embeds. `required` only
 * sees metadata, so it takes executables up to a size cap; `analyze` checks the ELF magic
 * first and leaves everything else at once.
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '../../analyzer.ts';
import { packageFinding } from '../finding.ts';
import { isElf } from '../binary/elf.ts';
import { readGoBuildInfo } from './buildinfo.ts';
import { goModules } from './modinfo.ts';

/** Large enough for kubectl/dockerd-sized binaries, small enough to bound one read. */
export const MAX_BINARY_SIZE = 200 * 1024 * 1024;

export function isCandidateExecutable(meta: FileMeta): boolean {
  return meta.kind === 'file' && (meta.mode & 0o111) !== 0 && meta.size >= 64 && meta.size <= MAX_BINARY_SIZE;
}

export const goBinaryAnalyzer: Analyzer = {
  name: 'lang/go-binary',
  version: 1,
  category: 'packages',
  maxFileSize: MAX_BINARY_SIZE,
  required: (_path, meta) => isCandidateExecutable(meta),
  analyze(file: LayerFile, ctx: AnalyzerContext): Finding[] {
    if (!isElf(file.content)) return [];
    try {
      const info = readGoBuildInfo(file.content);
      return info ? goModules(info).map((pkg) => packageFinding('Go', file.path, pkg)) : [];
    } catch (error) {
      ctx.note(`lang/go-binary: cannot read build info of ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  },
};
