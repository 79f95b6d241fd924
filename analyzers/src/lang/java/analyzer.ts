/** Java archives (.jar, .war, .ear, Jenkins .hpi/.jpi) → Maven packages named `group:artifact`. */
import type { Analyzer, AnalyzerContext, Finding, LayerFile } from '../../analyzer.ts';
import { mavenPurl } from '../purl.ts';
import { packageFinding } from '../finding.ts';
import { inventoryJavaArchive } from './archive.ts';

const JAVA_ARCHIVE = /\.(jar|war|ear|hpi|jpi)$/i;

export const javaArchiveAnalyzer: Analyzer = {
  name: 'lang/java-archive',
  version: 1,
  category: 'packages',
  maxFileSize: 256 * 1024 * 1024,
  required: (path, meta) => (meta.kind === 'file' || meta.kind === 'hardlink') && JAVA_ARCHIVE.test(path),
  async analyze(file: LayerFile, ctx: AnalyzerContext): Promise<Finding[]> {
    try {
      const artifacts = await inventoryJavaArchive(file.content, file.path, (message) => ctx.note(`lang/java-archive: ${message}`));
      return artifacts.map((a) => {
        const finding = packageFinding('Maven', file.path, {
          // OSV names Maven packages `groupId:artifactId`; without a group only the artifact is known.
          name: a.groupId ? `${a.groupId}:${a.artifactId}` : a.artifactId,
          version: a.version,
          purl: mavenPurl(a.groupId, a.artifactId, a.version),
          metadata: { source: a.source },
        });
        if (finding.kind === 'package') finding.package.paths = [a.path];
        return finding;
      });
    } catch (error) {
      ctx.note(`lang/java-archive: cannot read ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  },
};
