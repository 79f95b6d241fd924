/**
 * Risk over time, in `<data dir>/risk-history.json` (beside state.json, so the state file that is
 * rewritten on every change stays small): per image the counts of its last 100 scans (and of
 * the data updates that changed them), per host one row per day and the latest snapshots.
 * Writes are coalesced and atomic; an unreadable file is moved aside and history starts again.
 */
import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HostRiskDay, HostRiskSnapshot, ImageRiskPoint, type HostRiskHistory } from '@shipshape/shared';
import { writeFileAtomic } from '../state/atomic-file.ts';

export const KEEP_POINTS_PER_IMAGE = 100;
export const KEEP_DAYS = 400;
export const KEEP_SNAPSHOTS = 100;
/** Images whose history is kept; the least recently scanned go first beyond it. */
export const KEEP_IMAGES = 5000;

const HistoryFile = z.object({
  version: z.literal(1),
  images: z.record(z.array(ImageRiskPoint)).default({}),
  days: z.array(HostRiskDay).default([]),
  snapshots: z.array(HostRiskSnapshot).default([]),
});
type HistoryFile = z.infer<typeof HistoryFile>;

/** The local calendar day of a time, as the helper's users see it (YYYY-MM-DD). */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export class RiskHistory {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private data: HistoryFile,
    private readonly log: (line: string) => void,
  ) {}

  static async open(dataDir: string, log: (line: string) => void = () => {}): Promise<RiskHistory> {
    const file = join(dataDir, 'risk-history.json');
    let data: HistoryFile = HistoryFile.parse({ version: 1 });
    if (existsSync(file)) {
      const parsed = await readFile(file, 'utf8').then((text) => HistoryFile.safeParse(JSON.parse(text)), () => null);
      if (parsed?.success) data = parsed.data;
      else {
        const aside = `${file}.corrupt-${Date.now()}`;
        await rename(file, aside).catch(() => undefined);
        log(`risk history ${file} could not be read; moved aside to ${aside}, starting a new one`);
      }
    }
    return new RiskHistory(file, data, log);
  }

  /** Oldest first. */
  image(imageId: string): ImageRiskPoint[] {
    return this.data.images[imageId] ?? [];
  }

  latestPoint(imageId: string): ImageRiskPoint | null {
    return this.image(imageId).at(-1) ?? null;
  }

  recordImage(imageId: string, point: ImageRiskPoint): void {
    const points = [...this.image(imageId), point].slice(-KEEP_POINTS_PER_IMAGE);
    const { [imageId]: _old, ...others } = this.data.images;
    // Re-inserted last: the record's key order is "least recently recorded first".
    let images: Record<string, ImageRiskPoint[]> = { ...others, [imageId]: points };
    const ids = Object.keys(images);
    if (ids.length > KEEP_IMAGES) images = Object.fromEntries(ids.slice(ids.length - KEEP_IMAGES).map((id) => [id, images[id]!]));
    this.data = { ...this.data, images };
    this.changed();
  }

  /** The host's totals now: today's row is replaced, the snapshot list grows (bounded). */
  recordHost(snapshot: HostRiskSnapshot): void {
    const day = localDay(new Date(snapshot.at));
    const days = [...this.data.days.filter((d) => d.day !== day), { ...snapshot, day }].sort((a, b) => (a.day < b.day ? -1 : 1)).slice(-KEEP_DAYS);
    this.data = { ...this.data, days, snapshots: [...this.data.snapshots, snapshot].slice(-KEEP_SNAPSHOTS) };
    this.changed();
  }

  /** The days within the last `days` (today included) that have data, and the two latest snapshots. */
  host(days: number, now: Date): HostRiskHistory {
    const from = new Date(now);
    from.setDate(from.getDate() - (days - 1));
    const first = localDay(from);
    return {
      days: this.data.days.filter((d) => d.day >= first),
      latest: this.data.snapshots.at(-1) ?? null,
      previous: this.data.snapshots.at(-2) ?? null,
    };
  }

  /** Waits for pending writes (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.write();
    }
    await this.writing;
  }

  private changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write();
    }, 200);
    this.timer.unref();
  }

  private write(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const text = JSON.stringify(this.data);
    this.writing = this.writing.then(() => writeFileAtomic(this.file, text)).catch((error: Error) => {
      this.dirty = true;
      this.log(`risk history not saved (will retry with the next change): ${error.message}`);
    });
  }
}
