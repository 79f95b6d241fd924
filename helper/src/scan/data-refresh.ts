/**
 * The helper keeps its vulnerability data fresh by itself: with no data at all it fetches the
 * feed at start (a new user gets verdicts without doing anything), and then refreshes it
 * `daily` or `weekly` (the data-update settings; `off` for air-gapped machines, where nothing
 * is fetched unless asked). The feed's downloads are conditional, so a refresh of unchanged
 * archives fetches nothing. Checked at start and on a timer; a failed attempt (offline) is
 * retried an hour later while there is no data, at the next due time otherwise.
 */
import type { DataUpdateResult, DataUpdateSettings } from '@shipshape/shared';

const HOUR_MS = 60 * 60 * 1000;
const INTERVAL_MS: Record<Exclude<DataUpdateSettings['autoUpdate'], 'off'>, number> = { daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS };
/** Without data, an attempt that failed is retried this soon (the user is told meanwhile). */
const RETRY_WITHOUT_DATA_MS = HOUR_MS;
/** How often the timer looks whether a refresh is due. */
const CHECK_EVERY_MS = 10 * 60 * 1000;

/** The last automatic (or manual feed) attempt, kept in state so a restart knows when one is due. */
export interface FeedAttempt {
  at: string;
  ok: boolean;
}

export interface DataRefreshDeps {
  settings(): DataUpdateSettings;
  /** Whether there is any vulnerability data. */
  present(): boolean;
  lastAttempt(): FeedAttempt | null;
  /** Starts a feed update; false when one already runs. */
  startUpdate(): Promise<DataUpdateResult> | null;
  log(line: string): void;
  now?: () => Date;
  checkEveryMs?: number;
}

/** When the next automatic refresh is due (ISO time), or null when automatic refreshes are off. */
export function nextRefresh(settings: DataUpdateSettings, present: boolean, last: FeedAttempt | null, now: Date): string | null {
  if (settings.autoUpdate === 'off') return null;
  if (!last) return now.toISOString();
  const wait = !present && !last.ok ? RETRY_WITHOUT_DATA_MS : !present ? 0 : INTERVAL_MS[settings.autoUpdate];
  return new Date(Math.max(now.getTime(), Date.parse(last.at) + wait)).toISOString();
}

export class DataRefresher {
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: DataRefreshDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  nextUpdate(): string | null {
    return nextRefresh(this.deps.settings(), this.deps.present(), this.deps.lastAttempt(), this.now());
  }

  /** Checks at once (first start: the data is fetched now), then on a timer. */
  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.deps.checkEveryMs ?? CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Starts a refresh when one is due; returns it (null when none started). */
  check(): Promise<DataUpdateResult> | null {
    const next = this.nextUpdate();
    if (next === null || Date.parse(next) > this.now().getTime()) return null;
    const running = this.deps.startUpdate();
    if (!running) return null;
    const first = !this.deps.present();
    this.deps.log(first ? 'no vulnerability data yet: fetching it now (automatic data updates; set them off for air-gapped machines)' : 'vulnerability data refresh is due: updating');
    void running.then((result) => {
      if (result.outcome === 'error') this.deps.log(`automatic data update failed: ${result.reason ?? 'unknown error'}${first ? ': images cannot be judged for vulnerabilities until the data is there' : ''}`);
      else this.deps.log(`automatic data update done (${result.vulnDb?.advisories ?? 0} advisories${result.reason ? `; ${result.reason}` : ''})`);
    });
    return running;
  }
}
