/**
 * The analyzer contract, in the style of osv-scalibr and Trivy: the core walks every
 * layer once; each analyzer only says which files it wants (`required`) and turns one
 * file into findings (`analyze`). Results are per layer (so a later issue can cache them
 * by diffID and `version`), and merged across layers by the walker (whiteouts applied).
 */
import type { Package, OsInfo, SensitiveFinding, MalwareFinding, LayerRef } from '@shipshape/shared';

export type FileKind = 'file' | 'symlink' | 'hardlink' | 'directory' | 'other';

/** What the walker knows about an entry before reading it. */
export interface FileMeta {
  /** Normalised absolute path inside the image, e.g. `/var/lib/dpkg/status` (never `..`, never relative). */
  path: string;
  size: number;
  mode: number;
  kind: FileKind;
  /** Symlink or hard-link target, normalised (hard links: absolute path in the image). */
  linkTarget?: string;
}

/**
 * A file handed to an analyzer: its whole content, up to the analyzer's `maxFileSize`. The
 * content is valid until `analyze` has returned (or its promise settled): the walk may read
 * the next file into the same buffer, so an analyzer copies whatever bytes it keeps.
 */
export interface LayerFile extends FileMeta {
  content: Buffer;
}

export interface AnalyzerContext {
  /** The layer being walked. */
  layer: LayerRef & { index: number };
  /** Notes for the user about what was skipped (size caps, unreadable files). */
  note(message: string): void;
  /** Fires when the scan is cancelled; long analyzers should check it between steps. */
  signal?: AbortSignal;
}

export type AnalyzerCategory = 'os' | 'packages' | 'sensitive' | 'malware';

/** Findings an analyzer may return. `path` is the file they came from (the merge key for whiteouts). */
export type Finding =
  | { kind: 'os'; path: string; os: OsInfo; priority: number }
  | { kind: 'package'; path: string; package: Omit<Package, 'layer' | 'paths'> & { paths?: string[] } }
  | { kind: 'sensitive'; path: string; finding: Omit<SensitiveFinding, 'layer' | 'inFinalFilesystem'> }
  | { kind: 'malware'; path: string; finding: Omit<MalwareFinding, 'layer' | 'inFinalFilesystem'> };

export interface Analyzer {
  /** Stable identifier, e.g. `os/dpkg`, `lang/npm`. */
  readonly name: string;
  /** Bump when the analyzer's output for the same file changes: per-layer cache key. */
  readonly version: number;
  readonly category: AnalyzerCategory;
  /** Files above this size are not read for this analyzer (a note is recorded). */
  readonly maxFileSize: number;
  /** Decide from the path and metadata alone; must be cheap: it runs for every entry. */
  required(path: string, meta: FileMeta): boolean;
  /** Turn one file into findings. Must not throw on bad input: return [] and `ctx.note` instead. */
  analyze(file: LayerFile, ctx: AnalyzerContext): Finding[] | Promise<Finding[]>;
  /**
   * Optional: called once at the end of each layer, for analyzers that need several files
   * together (an rpm database and its directory, say). They collect in `analyze`, emit here.
   */
  finishLayer?(ctx: AnalyzerContext): Finding[] | Promise<Finding[]>;
  /**
   * Optional: findings in what the image says of itself outside its layers (config and build
   * history), once per report. It runs where the analyzer was built (a layer worker), so rules
   * compiled there are not compiled again on the caller's thread.
   */
  inspectImage?(image: ImageMetadata): ImageMetadataFindings;
}

/** The image config's fields an analyzer may look at, and the build history. */
export interface ImageMetadata {
  config: { Env?: string[] | null; Labels?: Record<string, string> | null; Cmd?: string[] | null; Entrypoint?: string[] | null };
  history: Array<{ created_by?: string; empty_layer?: boolean }>;
  diffIds: string[];
}

export interface ImageMetadataFindings {
  sensitive: SensitiveFinding[];
  /** Each secret found, with the mask the report shows for it (build steps repeated in the report are masked with these). */
  masks: Record<string, string>;
}
