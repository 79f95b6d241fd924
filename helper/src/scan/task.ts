/** A scan task's state and its summary figures (done, percent, ETA). */
import type { CategoryProgress, RiskCategory, ScanTask, TaskImage } from '@shipshape/shared';

export interface TaskRecord {
  id: string;
  trigger: ScanTask['trigger'];
  categories: RiskCategory[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequested: boolean;
  images: Map<string, TaskImage>;
}

const FINAL: ReadonlySet<TaskImage['status']> = new Set(['scanned', 'cancelled', 'scan_exception', 'skipped']);
export const isFinal = (image: TaskImage) => FINAL.has(image.status);

export function pendingCategory(): CategoryProgress {
  return { phase: 'pending', layersDone: 0, layersTotal: 0, bytesDone: 0, bytesTotal: null, error: null };
}

export function newTaskImage(imageId: string, name: string, categories: RiskCategory[]): TaskImage {
  return {
    imageId,
    name,
    status: 'queued',
    reason: null,
    startedAt: null,
    finishedAt: null,
    categories: Object.fromEntries(categories.map((c) => [c, pendingCategory()])),
    cachedLayers: 0,
    analyzedLayers: 0,
    dockerSaveSkipped: false,
    layerSource: null,
    layerSourceNote: null,
    reportId: null,
    risks: null,
    atRisk: null,
    server: null,
  };
}

/** Fraction of one image's work done: final = 1, scanning = its layer progress (capped below 1). */
function imageFraction(image: TaskImage): number {
  if (isFinal(image)) return 1;
  if (image.status !== 'scanning') return 0;
  const cats = Object.values(image.categories);
  const fractions = cats.map((c) => (c.bytesTotal ? c.bytesDone / c.bytesTotal : c.layersTotal ? c.layersDone / c.layersTotal : 0));
  const mean = fractions.reduce((a, b) => a + b, 0) / Math.max(1, fractions.length);
  return Math.min(0.99, mean);
}

export function viewTask(task: TaskRecord, now: Date): ScanTask {
  const images = [...task.images.values()];
  const count = (s: TaskImage['status']) => images.filter((i) => i.status === s).length;
  const done = images.filter(isFinal).length;
  const total = images.length;
  const progress = total ? images.reduce((sum, i) => sum + imageFraction(i), 0) / total : 1;
  let etaSeconds: number | null = null;
  if (done === total) etaSeconds = 0;
  else if (task.startedAt && progress > 0) {
    const elapsed = (now.getTime() - task.startedAt.getTime()) / 1000;
    etaSeconds = Math.round((elapsed / progress) * (1 - progress));
  }
  const allDone = done === total;
  return {
    id: task.id,
    trigger: task.trigger,
    state: allDone ? (task.cancelRequested ? 'cancelled' : 'finished') : task.startedAt ? 'running' : 'queued',
    categories: task.categories,
    createdAt: task.createdAt.toISOString(),
    finishedAt: task.finishedAt?.toISOString() ?? null,
    total,
    done,
    succeeded: count('scanned'),
    failed: count('scan_exception'),
    cancelled: count('cancelled'),
    skipped: count('skipped'),
    atRisk: images.filter((i) => i.atRisk === true).length,
    percent: Math.round(progress * 1000) / 10,
    etaSeconds,
    images,
  };
}
