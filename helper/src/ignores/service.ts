/**
 * Adding, removing and listing ignores, and keeping every image's counts, status and priority
 * true to them: a change re-derives the images it touches (from their latest report, with
 * the same function the recorder uses), and a timer on the clock does the same when an
 * expiry passes, so an expired ignore's findings count again by themselves.
 */
import { randomUUID } from 'node:crypto';
import type { IgnoreItem, IgnoreRule, ServerEvent } from '@shipshape/shared';
import type { Clock } from '../schedule/clock.ts';
import type { ReportStore } from '../scan/report-store.ts';
import type { ImageRecordLike, StateHost } from '../scan/state-host.ts';
import { deriveVerdict } from '../scan/verdict.ts';
import { appliesToImage, digestOf, expiryTime, isExpired, type ImageIdentity } from './match.ts';
import type { IgnoreSource } from './source.ts';
import { IgnoreStore } from './store.ts';

export interface IgnoreServiceDeps {
  state: StateHost;
  reports: Pick<ReportStore, 'load'>;
  clock: Clock;
  runningContainers(imageId: string): number;
  /** An image's counts or status changed (the helper sends `image.changed`). */
  changed(imageId: string): void;
  emit(event: ServerEvent): void;
  log?: (line: string) => void;
}

/** A new ignore, its image already resolved to a full ID. */
export type NewIgnore = Omit<IgnoreRule, 'id' | 'createdAt'> & { createdAt?: string };

const identity = (record: ImageRecordLike): ImageIdentity => ({ id: record.inventory.id, digests: record.inventory.repoDigests ?? [] });
/** One decision per finding and image: a new ignore for the same ones replaces the old (keyed, so a big VEX import stays linear). */
const subjectOf = (rule: Pick<IgnoreRule, 'target' | 'image'>) => JSON.stringify([rule.image, rule.target]);

export class IgnoreService implements IgnoreSource {
  private readonly store: IgnoreStore;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: IgnoreServiceDeps) {
    this.store = new IgnoreStore(deps.state, deps.log);
  }

  rules(): IgnoreRule[] {
    return this.store.rules();
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** Every ignore, or those that apply to one image; `expired` narrows to lapsed (true) or in-force (false) ones. */
  list(filter: { image?: ImageIdentity; expired?: boolean } = {}): IgnoreItem[] {
    const now = this.now();
    return this.rules()
      .filter((r) => !filter.image || appliesToImage(r, filter.image))
      .map((r) => ({ ...r, expired: isExpired(r, now) }))
      .filter((r) => filter.expired === undefined || r.expired === filter.expired);
  }

  get(id: string): IgnoreRule | undefined {
    return this.rules().find((r) => r.id === id);
  }

  /** Adds ignores (replacing any for the same finding and image) and re-derives the images they touch. */
  async add(inputs: NewIgnore[]): Promise<IgnoreRule[]> {
    const at = this.now().toISOString();
    // Within one call too, the last decision for a finding and image wins.
    const bySubject = new Map(inputs.map((input): [string, IgnoreRule] => [subjectOf(input), { ...input, id: randomUUID().replace(/-/g, '').slice(0, 20), createdAt: input.createdAt ?? at }]));
    const added = [...bySubject.values()];
    const kept = this.rules().filter((r) => !bySubject.has(subjectOf(r)));
    const replaced = this.rules().filter((r) => bySubject.has(subjectOf(r)));
    this.store.save([...kept, ...added]);
    await this.reevaluate([...added, ...replaced]);
    this.arm();
    return added;
  }

  async remove(id: string): Promise<boolean> {
    const rule = this.get(id);
    if (!rule) return false;
    this.store.save(this.rules().filter((r) => r.id !== id));
    await this.reevaluate([rule]);
    this.arm();
    return true;
  }

  /** Applies expiries that passed while the helper was down, then waits for the next one. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.sweep();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Re-derives the images whose ignores expired since the last sweep. */
  private async sweep(): Promise<void> {
    const now = this.now();
    const since = this.store.sweptAt();
    const from = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
    const due = this.rules().filter((r) => r.expiresAt !== null && expiryTime(r.expiresAt) > from && expiryTime(r.expiresAt) <= now.getTime());
    if (due.length > 0) {
      await this.reevaluate(due);
      this.deps.log?.(`${due.length} ignore(s) expired: their findings count again`);
    }
    this.store.save(this.rules(), now.toISOString());
    this.arm();
  }

  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return;
    const now = this.now().getTime();
    const next = Math.min(...this.rules().map((r) => (r.expiresAt ? expiryTime(r.expiresAt) : Infinity)).filter((t) => t > now));
    if (!Number.isFinite(next)) return;
    this.cancelTimer = this.deps.clock.at(new Date(next), () => {
      this.cancelTimer = null;
      void this.sweep().catch((error: unknown) => this.deps.log?.(`applying expired ignores failed: ${error instanceof Error ? error.message : String(error)}`));
    });
  }

  /** Re-derives counts, status and priority of every scanned image one of these rules is (or was) for. */
  async reevaluate(rules: readonly Pick<IgnoreRule, 'image'>[]): Promise<number> {
    const everyImage = rules.some((r) => r.image === null);
    const named = new Set(rules.map((r) => r.image));
    const isFor = (record: ImageRecordLike) => everyImage || [record.inventory.id, ...(identity(record).digests ?? []).map(digestOf)].some((d) => named.has(d));
    const touched = this.deps.state.images().filter((record) => record.scan.reports?.[0] && isFor(record));
    let changed = 0;
    for (const record of touched) if (await this.rederive(record.inventory.id)) changed++;
    return changed;
  }

  /** The verdict of one image from its latest report and the ignores now; true when something changed. */
  private async rederive(imageId: string): Promise<boolean> {
    const entry = this.deps.state.image(imageId)?.scan.reports?.[0];
    if (!entry) return false;
    const report = await this.deps.reports.load(entry.id);
    const record = this.deps.state.image(imageId);
    // A scan recorded meanwhile has already used the current ignores.
    if (!report || !record || record.scan.reports?.[0]?.id !== entry.id) return false;
    const notChecked = record.scan.notChecked ?? entry.notChecked ?? [];
    const verdict = deriveVerdict({ report, image: identity(record), ignores: this.rules(), notChecked, runningContainers: this.deps.runningContainers(imageId), now: this.now() });
    const { risks, securityStatus, priority } = verdict;
    const scan = record.scan;
    if (JSON.stringify([scan.risks, scan.securityStatus, scan.priorityScore, scan.highPriority]) === JSON.stringify([risks, securityStatus, priority.score, priority.highPriority])) return false;
    const wasHigh = scan.highPriority;
    const latest = { ...entry, risks, securityStatus, priorityScore: priority.score, highPriority: priority.highPriority };
    this.deps.state.updateScan(imageId, {
      risks,
      securityStatus,
      priorityScore: priority.score,
      highPriority: priority.highPriority,
      reports: [latest, ...(scan.reports ?? []).slice(1)],
    });
    this.deps.changed(imageId);
    if (priority.highPriority && !wasHigh) {
      this.deps.emit({ type: 'risk.high_priority', imageId, name: record.inventory.repoTags[0] ?? imageId, priorityScore: priority.score, risks, reasons: priority.reasons });
    }
    return true;
  }
}
