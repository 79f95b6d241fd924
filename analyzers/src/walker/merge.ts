/**
 * Merges per-layer results into the image's final view, the way overlayfs stacks them:
 * an upper layer's file replaces the lower one at the same path, `.wh.` entries delete,
 * opaque directories hide everything below them. Packages come only from files still in the
 * final filesystem and are attributed, as Trivy does, to the lowest layer of the unbroken run
 * of layers that already had that name and version. Sensitive and malware findings are kept
 * even when deleted later (the image still ships the bytes), marked `inFinalFilesystem: false`.
 */
import type { LayerRef, MalwareFinding, OsInfo, Package, SensitiveFinding } from '@shipshape/shared';
import type { Finding } from '../analyzer.ts';
import type { LayerResult } from './layer-result.ts';
import { PathSet } from './path-set.ts';
import { dirname, isWithin } from './paths.ts';

export interface MergeInput {
  ref: LayerRef;
  result: LayerResult;
}

export interface MergedInventory {
  os: OsInfo | null;
  packages: Package[];
  sensitive: SensitiveFinding[];
  malware: MalwareFinding[];
  notes: string[];
}

type PackageFinding = Extract<Finding, { kind: 'package' }>;

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) out.push(dir);
  return out;
}

class LayerStack {
  private readonly written: PathSet[];
  private readonly deleted: Array<Set<string>>;

  constructor(private readonly layers: MergeInput[]) {
    this.written = layers.map((l) => PathSet.decode(l.result.writtenPaths));
    this.deleted = layers.map((l) => new Set(l.result.whiteouts));
  }

  /** Does layer `j` hide or replace `path` as it was in lower layers? */
  private hides(j: number, path: string): boolean {
    if (this.written[j]!.has(path) || this.deleted[j]!.has(path)) return true;
    for (const dir of ancestors(path)) {
      // A deleted directory, or one replaced by a file or symlink, takes its content with it.
      if (this.deleted[j]!.has(dir) || this.written[j]!.has(dir)) return true;
    }
    return this.layers[j]!.result.opaqueDirs.some((dir) => dir !== path && isWithin(path, dir));
  }

  /** The first layer above `i` that hides `path`, or -1 if layer i's copy is the final one. */
  hiddenBy(path: string, i: number): number {
    for (let j = i + 1; j < this.layers.length; j++) if (this.hides(j, path)) return j;
    return -1;
  }

  /** The nearest layer below `i` that wrote `path` and whose copy survives up to layer `i`. */
  previousWriter(path: string, i: number): number {
    for (let k = i - 1; k >= 0; k--) {
      if (this.written[k]!.has(path)) return this.hiddenBy(path, k) === i ? k : -1;
    }
    return -1;
  }
}

const packageKey = (p: PackageFinding['package']) => `${p.ecosystem}\u0000${p.name}\u0000${p.version}\u0000${p.arch ?? ''}`;

export function mergeLayers(layers: MergeInput[]): MergedInventory {
  const stack = new LayerStack(layers);
  // findings[i] grouped by path, so attribution can look a package up in a lower layer's copy.
  const packagesByLayerPath = layers.map((l) => {
    const byPath = new Map<string, Set<string>>();
    for (const f of l.result.findings) {
      if (f.kind !== 'package') continue;
      let set = byPath.get(f.path);
      if (!set) byPath.set(f.path, (set = new Set()));
      set.add(packageKey(f.package));
    }
    return byPath;
  });

  const packages: Package[] = [];
  const sensitive: SensitiveFinding[] = [];
  const malware: MalwareFinding[] = [];
  const osCandidates: Array<{ os: OsInfo; priority: number }> = [];
  const notes: string[] = [];

  layers.forEach((layer, i) => {
    notes.push(...layer.result.notes);
    const dropped = layer.result.droppedNotes ?? 0;
    if (dropped > 0) notes.push(`layer ${i + 1} (${layer.ref.diffId}): ${dropped} more notes not shown`);
    const visibility = new Map<string, boolean>();
    const visible = (path: string) => {
      let v = visibility.get(path);
      if (v === undefined) visibility.set(path, (v = stack.hiddenBy(path, i) === -1));
      return v;
    };
    for (const f of layer.result.findings) {
      switch (f.kind) {
        case 'package': {
          if (!visible(f.path)) break;
          const key = packageKey(f.package);
          let origin = i;
          for (let k = stack.previousWriter(f.path, origin); k >= 0 && packagesByLayerPath[k]!.get(f.path)?.has(key); k = stack.previousWriter(f.path, k)) {
            origin = k;
          }
          const { paths, ...rest } = f.package;
          packages.push({ ...rest, paths: paths ?? [f.path], layer: layers[origin]!.ref });
          break;
        }
        case 'os':
          if (visible(f.path)) osCandidates.push({ os: f.os, priority: f.priority });
          break;
        case 'sensitive':
          sensitive.push({ ...f.finding, layer: layer.ref, inFinalFilesystem: visible(f.path) });
          break;
        case 'malware':
          malware.push({ ...f.finding, layer: layer.ref, inFinalFilesystem: visible(f.path) });
          break;
      }
    }
  });

  return { os: pickOs(osCandidates), packages: dedupePackages(packages), sensitive, malware, notes };
}

/** The highest-priority OS claim; a missing version is filled from a lower claim of the same family. */
function pickOs(candidates: Array<{ os: OsInfo; priority: number }>): OsInfo | null {
  const sorted = [...candidates].sort((a, b) => b.priority - a.priority);
  const best = sorted[0];
  if (!best) return null;
  if (best.os.version) return best.os;
  const fallback = sorted.find((c) => c.os.family === best.os.family && c.os.version);
  return fallback ? { ...best.os, version: fallback.os.version } : best.os;
}

/** One entry per ecosystem/name/version/arch/path set: two analyzers may see the same package. */
function dedupePackages(packages: Package[]): Package[] {
  const seen = new Map<string, Package>();
  for (const p of packages) {
    const key = `${p.ecosystem}\u0000${p.name}\u0000${p.version}\u0000${p.arch ?? ''}\u0000${p.paths.join('\u0000')}`;
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
}
